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
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.audit import record_audit
from storefront.catalog.models import Category, Product, Variant
from storefront.catalog.pricing import refresh_price_range
from storefront.database import transactional
from storefront.errors import ValidationFailed
from storefront.extensions import db
from storefront.inventory.bulk import CHUNK, MAX_STOCK, set_stock_levels
from storefront.inventory.csv_io import STOCK_COLUMNS
from storefront.inventory.models import REASON_IMPORT
from storefront.money import format_amount, parse_amount

MAX_ROWS = 5000
KNOWN_COLUMNS = frozenset(STOCK_COLUMNS)  # a stock export imports back unchanged
TRUE_WORDS, FALSE_WORDS = {"yes", "true", "1", "y"}, {"no", "false", "0", "n"}
MAX_CENTS = 2**31 - 1  # prices are 32-bit integers of cents on every database
# Python's csv module refuses NUL bytes; they are read as this mark so that the row and the
# column can be named (PostgreSQL cannot store NUL in text either).
NUL_MARK = "\ufffe"


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
    reader = csv.DictReader(io.StringIO(text.replace("\x00", NUL_MARK)))
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if "sku" not in header:
            raise ValidationFailed(
                "The first line must name the columns, including sku.", field="file"
            )
        unknown = sorted(set(header) - KNOWN_COLUMNS)
        if unknown:
            names = ", ".join(name.replace(NUL_MARK, "\\0") for name in unknown)
            raise ValidationFailed(f"Unknown column(s): {names}.", field="file")
        reader.fieldnames = header
        rows = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise ValidationFailed(f"Import at most {MAX_ROWS} rows at a time.", field="file")
            cells = {key: (value or "").strip() for key, value in row.items() if key in header}
            if any(cells.values()):
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        line = reader.line_num + 1  # the line being read is not counted yet
        raise ValidationFailed(
            f"Line {line}: {_csv_problem(error)}; nothing was imported.", field="file"
        ) from None
    return rows


def _csv_problem(error: csv.Error) -> str:
    reason = str(error)
    if "field limit" in reason:
        return f"a cell is longer than {csv.field_size_limit()} characters"
    if "new-line" in reason:
        return "a cell holds a line break outside double quotes (a stray carriage return?)"
    return f"the line is not valid CSV ({reason})"


def _whole_number(key: str, text: str, problems: list[str]) -> int | None:
    if not (text.isascii() and text.isdigit()):
        problems.append(f"{key} “{text}” is not a whole number of zero or more")
    elif len(text.lstrip("0")) > len(str(MAX_STOCK)) or int(text) > MAX_STOCK:
        problems.append(f"{key} {text} is larger than {MAX_STOCK}")
    else:
        return int(text)
    return None


def _parse_cells(cells: dict, problems: list[str]) -> dict:
    """Turn the non-empty cells into typed values; note each malformed one by its column."""
    values: dict = {}
    bad = [key for key, text in cells.items() if NUL_MARK in text]
    problems.extend(f"{key} contains a NUL byte" for key in bad)
    cells = {key: text for key, text in cells.items() if key not in bad}
    for key in ("product_name", "size", "category"):
        if cells.get(key):
            values[key] = cells[key]
    for key in ("price", "price_override"):
        if cells.get(key):
            cents = parse_amount(cells[key])
            if cents is None:
                problems.append(f"{key} “{cells[key]}” is not an amount such as 49.90")
            elif cents > MAX_CENTS:
                problems.append(f"{key} {cells[key]} is more than {format_amount(MAX_CENTS)}")
            values[key] = cents
        elif key == "price_override" and key in cells:
            values[key] = None  # an empty override means: the product's price
    for key in ("stock", "low_stock_threshold"):
        if cells.get(key):
            number = _whole_number(key, cells[key], problems)
            if number is not None:
                values[key] = number
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


def _chunks(values: set[str]) -> list[list[str]]:
    ordered = sorted(values)
    return [ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)]


@dataclass
class _Catalogue:
    """What the database already holds for the SKUs and slugs a file names (a few queries)."""

    slug_of_sku: dict[str, str]
    product_slugs: set[str]
    labels: dict[str, set[str]]

    @classmethod
    def read(cls, skus: set[str], slugs: set[str]) -> _Catalogue:
        """Read the variants of `skus` and the products (with their sizes) of `slugs`."""
        slug_of_sku: dict[str, str] = {}
        for chunk in _chunks(skus):
            query = select(Variant.sku, Product.slug).join(Variant.product)
            rows = db.session.execute(query.where(Variant.sku.in_(chunk)))
            slug_of_sku.update((sku.upper(), slug) for sku, slug in rows)
        labels: dict[str, set[str]] = {}
        for chunk in _chunks(slugs | set(slug_of_sku.values())):
            query = select(Product.slug, Variant.label).outerjoin(Product.variants)
            for slug, label in db.session.execute(query.where(Product.slug.in_(chunk))):
                labels.setdefault(slug, set()).update(() if label is None else (label,))
        return cls(slug_of_sku, set(labels), labels)


def _wanted_slug(cells: dict) -> str:
    return slugify(cells.get("product_slug") or cells.get("product_name", ""))


def _plan(text: str) -> ImportReport:
    """Check every row against the file and the database without changing anything."""
    report = ImportReport()
    rows = _read(text)
    categories = _category_ids()
    known = _Catalogue.read(
        {cells.get("sku", "").upper() for _, cells in rows} - {""},
        {_wanted_slug(cells) for _, cells in rows} - {""},
    )
    seen_skus: set[str] = set()
    new_products: set[str] = set()
    for line, cells in rows:
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
        if sku in known.slug_of_sku:
            plan.product_slug = known.slug_of_sku[sku]
            wanted = slugify(cells.get("product_slug", ""))
            if wanted and wanted != plan.product_slug:
                problems.append(f"SKU {sku} belongs to product “{plan.product_slug}”")
        else:
            plan.action = "create"
            plan.product_slug = _wanted_slug(cells)
            if not plan.product_slug:
                problems.append("a new SKU needs a product_name or product_slug")
            elif len(plan.product_slug) > 220:
                problems.append("product_slug is longer than 220 characters")
            elif plan.product_slug not in known.product_slugs | new_products:
                plan.new_product = True
                new_products.add(plan.product_slug)
                if not values.get("product_name") or values.get("price") is None:
                    problems.append("a new product needs product_name and price")
            labels = known.labels.setdefault(plan.product_slug, set())
            label = values.get("size", "")
            if label in labels:
                problems.append(f"product “{plan.product_slug}” already has the size “{label}”")
            labels.add(label)
        report.errors.extend((line, f"Line {line}: {problem}.") for problem in problems)
        report.plans.append(plan)
    if not report.plans and not report.errors:
        report.errors.append((1, "The file has no rows to import."))
    return report


def preview_import(text: str) -> ImportReport:
    """Return what importing the file would do, and every bad row (a dry run)."""
    report = _plan(text)
    db.session.rollback()
    return report


def _products_by_slug(slugs: set[str]) -> dict[str, Product]:
    products: dict[str, Product] = {}
    for chunk in _chunks(slugs):
        query = select(Product).where(Product.slug.in_(chunk))
        for product in db.session.scalars(query.options(selectinload(Product.variants))):
            products[product.slug] = product
    return products


def _update_product(product: Product, values: dict, categories: dict[str, int]) -> None:
    if "product_name" in values:
        product.name = values["product_name"]
    if values.get("price") is not None:
        product.base_price_cents = values["price"]
    if "category" in values:
        product.category_id = categories[values["category"].lower()]
    if "active" in values:
        product.is_active = values["active"]


def _update_variant(product: Product, variant: Variant | None, plan: RowPlan) -> Variant:
    values = plan.values
    if variant is None:
        variant = Variant(sku=plan.sku, label="", stock=0, position=len(product.variants))
        product.variants.append(variant)
    if "size" in values:
        variant.label = values["size"]
    if "price_override" in values:
        variant.price_override_cents = values["price_override"]
    if "low_stock_threshold" in values:
        variant.low_stock_threshold = values["low_stock_threshold"]
    return variant


@transactional
def apply_import(actor, text: str) -> ImportReport:
    """Apply the whole file in one transaction, or raise ImportRefused and change nothing."""
    report = _plan(text)
    if not report.ok:
        raise ImportRefused(report)
    categories = _category_ids()
    products = _products_by_slug({plan.product_slug for plan in report.plans})
    variants = {v.sku.upper(): v for product in products.values() for v in product.variants}
    levels: dict[str, int] = {}
    for plan in report.plans:
        product = products.get(plan.product_slug)
        if product is None:
            product = Product(slug=plan.product_slug, name="", base_price_cents=0, description="")
            db.session.add(product)
            products[plan.product_slug] = product
        _update_product(product, plan.values, categories)
        variants[plan.sku] = _update_variant(product, variants.get(plan.sku), plan)
        if "stock" in plan.values:
            levels[plan.sku] = plan.values["stock"]
    for product in products.values():
        refresh_price_range(product)
    db.session.flush()
    set_stock_levels(
        {variants[sku].id: level for sku, level in levels.items()},
        REASON_IMPORT,
        getattr(actor, "id", None),
        "CSV import",
    )
    record_audit(
        actor,
        "catalog.import",
        "import",
        None,
        f"CSV import: {report.count('create')} option(s) created, {report.count('update')} updated",
    )
    return report
