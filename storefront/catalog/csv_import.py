"""CSV import of products, variants and stock: create or update by SKU, all rows or none.

A dry run (`preview_import`) lists what each row would do and every bad row by its line
number; `apply_import` checks again inside one transaction and refuses the whole file if
any row is bad. Stock levels change through the ledger (reason `import`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from slugify import slugify
from sqlalchemy import func, select

from storefront.audit import record_audit
from storefront.catalog.models import Category, Product, Variant
from storefront.catalog.pricing import refresh_price_range
from storefront.database import transactional
from storefront.errors import ValidationFailed
from storefront.extensions import db
from storefront.inventory.csv_io import STOCK_COLUMNS
from storefront.inventory.models import REASON_IMPORT
from storefront.inventory.services import change_stock
from storefront.money import parse_amount

MAX_ROWS = 5000
KNOWN_COLUMNS = frozenset(STOCK_COLUMNS)  # a stock export imports back unchanged
TRUE_WORDS, FALSE_WORDS = {"yes", "true", "1", "y"}, {"no", "false", "0", "n"}


@dataclass
class RowPlan:
    """What one row of the file will do."""

    line: int
    sku: str
    action: str = "update"  # "create" (new variant) or "update"
    product_slug: str = ""
    new_product: bool = False
    values: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    """The plan for a whole file and the problems found, each with its line number."""

    plans: list[RowPlan] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when every row can be applied."""
        return not self.errors and bool(self.plans)

    def count(self, action: str) -> int:
        """Return how many rows do `action`."""
        return sum(1 for plan in self.plans if plan.action == action)


class ImportRefused(ValidationFailed):
    """The file has bad rows; nothing was changed. `report` lists them."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            f"The file has {len(report.errors)} problem(s); nothing was imported.", field="file"
        )
        self.report = report


def decode_csv(data: bytes) -> str:
    """Return the text of an uploaded CSV file, or raise ValidationFailed."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("Save the file as UTF-8 CSV and try again.", field="file") from None


def _read(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if "sku" not in header:
        raise ValidationFailed("The first line must name the columns, including sku.", field="file")
    unknown = sorted(set(header) - KNOWN_COLUMNS)
    if unknown:
        raise ValidationFailed(f"Unknown column(s): {', '.join(unknown)}.", field="file")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise ValidationFailed(f"Import at most {MAX_ROWS} rows at a time.", field="file")
        cells = {key: (value or "").strip() for key, value in row.items() if key in KNOWN_COLUMNS}
        if any(cells.values()):
            rows.append((reader.line_num, cells))
    return rows


def _parse_cells(cells: dict, problems: list[str]) -> dict:
    """Turn the non-empty cells into typed values; note each malformed one."""
    values: dict = {}
    for key in ("product_name", "size", "category"):
        if cells.get(key):
            values[key] = cells[key]
    for key in ("price", "price_override"):
        if cells.get(key):
            cents = parse_amount(cells[key])
            if cents is None:
                problems.append(f"{key} “{cells[key]}” is not an amount such as 49.90")
            values[key] = cents
        elif key == "price_override" and key in cells:
            values[key] = None  # an empty override means: the product's price
    for key in ("stock", "low_stock_threshold"):
        if cells.get(key):
            if not cells[key].isdigit():
                problems.append(f"{key} “{cells[key]}” is not a whole number of zero or more")
            else:
                values[key] = int(cells[key])
    if cells.get("active"):
        word = cells["active"].lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            problems.append(f"active “{cells['active']}” should be yes or no")
        values["active"] = word in TRUE_WORDS
    if len(values.get("product_name", "")) > 200 or len(values.get("size", "")) > 40:
        problems.append("product_name or size is too long")
    return values


def _category_ids() -> dict[str, int]:
    rows = db.session.execute(select(Category.id, Category.name, Category.slug)).all()
    return {key.lower(): id_ for id_, name, slug in rows for key in (name, slug)}


def _plan(text: str) -> ImportReport:
    """Check every row against the file and the database without changing anything."""
    report = ImportReport()
    categories = _category_ids()
    seen_skus: set[str] = set()
    new_products: set[str] = set()
    taken_labels: dict[str, set[str]] = {}
    for line, cells in _read(text):
        problems: list[str] = []
        sku = cells.get("sku", "").upper()
        values = _parse_cells(cells, problems)
        if not sku or len(sku) > 64:
            problems.append("sku is missing or longer than 64 characters")
        elif sku in seen_skus:
            problems.append(f"SKU {sku} appears more than once in the file")
        seen_skus.add(sku)
        if values.get("category") and values["category"].lower() not in categories:
            problems.append(f"there is no category “{values['category']}”")
        plan = RowPlan(line=line, sku=sku, values=values)
        variant = db.session.scalar(select(Variant).where(Variant.sku == sku)) if sku else None
        if variant is not None:
            plan.product_slug = variant.product.slug
            wanted = slugify(cells.get("product_slug", ""))
            if wanted and wanted != plan.product_slug:
                problems.append(f"SKU {sku} belongs to product “{plan.product_slug}”")
        else:
            plan.action = "create"
            plan.product_slug = slugify(cells.get("product_slug") or values.get("product_name", ""))
            exists = db.session.scalar(select(Product.id).where(Product.slug == plan.product_slug))
            if not plan.product_slug:
                problems.append("a new SKU needs a product_name or product_slug")
            elif exists is None and plan.product_slug not in new_products:
                plan.new_product = True
                new_products.add(plan.product_slug)
                if not values.get("product_name") or values.get("price") is None:
                    problems.append("a new product needs product_name and price")
            labels = taken_labels.setdefault(plan.product_slug, _labels_of(plan.product_slug))
            label = values.get("size", "")
            if label in labels:
                problems.append(f"product “{plan.product_slug}” already has the size “{label}”")
            labels.add(label)
        report.errors.extend((line, f"Line {line}: {problem}.") for problem in problems)
        report.plans.append(plan)
    if not report.plans and not report.errors:
        report.errors.append((1, "The file has no rows to import."))
    return report


def _labels_of(slug: str) -> set[str]:
    return set(
        db.session.scalars(select(Variant.label).join(Variant.product).where(Product.slug == slug))
    )


def preview_import(text: str) -> ImportReport:
    """Return what importing the file would do, and every bad row (a dry run)."""
    report = _plan(text)
    db.session.rollback()
    return report


def _product_for(plan: RowPlan, categories: dict[str, int]) -> Product:
    values = plan.values
    product = db.session.scalar(select(Product).where(Product.slug == plan.product_slug))
    if product is None:
        product = Product(slug=plan.product_slug, name="", base_price_cents=0, description="")
        db.session.add(product)
    if "product_name" in values:
        product.name = values["product_name"]
    if values.get("price") is not None:
        product.base_price_cents = values["price"]
    if "category" in values:
        product.category_id = categories[values["category"].lower()]
    if "active" in values:
        product.is_active = values["active"]
    return product


def _apply_row(actor_id, plan: RowPlan, categories: dict[str, int]) -> Product:
    values = plan.values
    product = _product_for(plan, categories)
    variant = db.session.scalar(select(Variant).where(Variant.sku == plan.sku))
    if variant is None:
        position = db.session.scalar(
            select(func.count(Variant.id)).where(Variant.product_id == product.id)
        )
        variant = Variant(
            sku=plan.sku, label=values.get("size", ""), stock=0, position=position or 0
        )
        product.variants.append(variant)
    elif "size" in values:
        variant.label = values["size"]
    if "price_override" in values:
        variant.price_override_cents = values["price_override"]
    if "low_stock_threshold" in values:
        variant.low_stock_threshold = values["low_stock_threshold"]
    db.session.flush()
    if "stock" in values:
        current = db.session.scalar(select(Variant.stock).where(Variant.id == variant.id))
        if values["stock"] != current:
            change_stock(
                variant.id, values["stock"] - current, REASON_IMPORT, actor_id, "CSV import"
            )
            db.session.refresh(variant)
    return product


@transactional
def apply_import(actor, text: str) -> ImportReport:
    """Apply the whole file in one transaction, or raise ImportRefused and change nothing."""
    report = _plan(text)
    if not report.ok:
        raise ImportRefused(report)
    categories = _category_ids()
    touched: dict[int, Product] = {}
    for plan in report.plans:
        product = _apply_row(getattr(actor, "id", None), plan, categories)
        touched[product.id] = product
    for product in touched.values():
        db.session.refresh(product)
        refresh_price_range(product)
    record_audit(
        actor,
        "catalog.import",
        "import",
        None,
        f"CSV import: {report.count('create')} option(s) created, {report.count('update')} updated",
    )
    return report
