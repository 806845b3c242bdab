"""CSV exports of stock levels and of the stock ledger (money formatted only here, at the edge)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.catalog.models import Product, Variant
from storefront.extensions import db
from storefront.inventory.models import StockMovement
from storefront.money import format_amount

STOCK_COLUMNS = [
    "sku",
    "product_name",
    "product_slug",
    "category",
    "size",
    "price",
    "price_override",
    "stock",
    "low_stock_threshold",
    "active",
]
MOVEMENT_COLUMNS = [
    "time_utc",
    "sku",
    "delta",
    "stock_after",
    "reason",
    "note",
    "actor",
    "order_reference",
]


def _safe(value) -> str:
    """Return a cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return (
        "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _numeric(text) else text
    )


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_safe(cell) for cell in row])
        yield buffer.getvalue()


def stock_levels_csv() -> Iterator[str]:
    """Yield the stock of every variant as CSV lines, in the same columns the import reads."""
    variants = db.session.scalars(
        select(Variant)
        .join(Variant.product)
        .options(joinedload(Variant.product).joinedload(Product.category))
        .order_by(Product.name, Product.id, Variant.position, Variant.id)
    )

    def rows():
        for variant in variants:
            product = variant.product
            override = variant.price_override_cents
            yield [
                variant.sku,
                product.name,
                product.slug,
                product.category.name if product.category else "",
                variant.label,
                format_amount(product.base_price_cents),
                format_amount(override) if override is not None else "",
                variant.stock,
                variant.low_stock_threshold,
                "yes" if product.is_active else "no",
            ]

    return _lines(STOCK_COLUMNS, rows())


def movements_csv(statement) -> Iterator[str]:
    """Yield the movements selected by `statement` (a select of StockMovement) as CSV lines."""
    movements = db.session.scalars(
        statement.options(joinedload(StockMovement.actor), joinedload(StockMovement.order))
    )

    def rows():
        for movement in movements:
            yield [
                movement.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                movement.sku,
                movement.delta,
                movement.stock_after,
                movement.reason,
                movement.note,
                movement.actor.email if movement.actor else "",
                movement.order.reference if movement.order else "",
            ]

    return _lines(MOVEMENT_COLUMNS, rows())
