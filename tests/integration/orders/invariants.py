"""The shop's books must balance: stock, orders and the stock ledger agree."""

from __future__ import annotations

from sqlalchemy import func, select

from storefront.catalog.models import Variant
from storefront.inventory.models import StockMovement
from storefront.orders.models import STATUS_CANCELLED, Order, OrderLine


def assert_books_balance(db, starting_stock: dict[int, int]) -> None:
    """Check stock against orders and the ledger for each variant, and every order's totals."""
    db.session.rollback()  # read what the other threads committed
    for variant_id, start in starting_stock.items():
        current = db.session.scalar(select(Variant.stock).where(Variant.id == variant_id))
        ordered = db.session.scalar(
            select(func.coalesce(func.sum(OrderLine.quantity), 0))
            .join(Order)
            .where(OrderLine.variant_id == variant_id, Order.status != STATUS_CANCELLED)
        )
        ledger = db.session.scalar(
            select(func.coalesce(func.sum(StockMovement.delta), 0)).where(
                StockMovement.variant_id == variant_id
            )
        )
        assert current >= 0
        assert start == current + ordered, f"variant {variant_id}: stock and orders disagree"
        assert ledger == current, f"variant {variant_id}: the ledger does not add up"
    for order in db.session.scalars(select(Order)):
        lines_total = sum(line.line_total_cents for line in order.lines)
        assert all(
            line.line_total_cents == line.unit_price_cents * line.quantity for line in order.lines
        )
        assert order.subtotal_cents == lines_total
        assert order.total_cents == lines_total + order.shipping_cents
