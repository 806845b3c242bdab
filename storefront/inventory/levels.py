"""What a stock level means: sold out, low on stock, the shop's stock badge, the cart's limit.

The one home of these rules: the shop's pages (through the template helpers registered by
`register_stock_helpers`), the cart, the back office's filters and figures, and the page
cache's question "would a guest see this change?" all ask here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import ColumnElement, and_, func, select

from storefront.catalog.models import Product, Variant
from storefront.extensions import db


def is_sold_out(stock: int) -> bool:
    """Return True when none is left."""
    return stock <= 0


def is_low_on_stock(stock: int, threshold: int) -> bool:
    """Return True when some is left, but no more than the low-stock threshold."""
    return 0 < stock <= threshold


def cart_maximum() -> int:
    """Return the most of one item a cart line may hold (CART_MAX_QUANTITY)."""
    return int(current_app.config["CART_MAX_QUANTITY"])


def cart_limit(stock: int, maximum: int | None = None) -> int:
    """Return the most of one variant a customer may choose: stock up to the cart maximum.

    At least 1, so the quantity field stays usable; a sold-out variant is refused on adding.
    """
    return max(1, min(stock, cart_maximum() if maximum is None else maximum))


def sold_out_sql() -> ColumnElement[bool]:
    """Return `is_sold_out` for a query over variants."""
    return Variant.stock <= 0


def in_stock_sql() -> ColumnElement[bool]:
    """Return "not sold out" for a query over variants."""
    return Variant.stock > 0


def low_on_stock_sql() -> ColumnElement[bool]:
    """Return `is_low_on_stock` for a query over variants."""
    return and_(Variant.stock > 0, Variant.stock <= Variant.low_stock_threshold)


def plenty_sql() -> ColumnElement[bool]:
    """Return "above the low-stock threshold" for a query over variants."""
    return Variant.stock > Variant.low_stock_threshold


def needs_restock_sql() -> ColumnElement[bool]:
    """Return "sold out or low on stock" (the dashboard's list) for a query over variants."""
    return Variant.stock <= Variant.low_stock_threshold


@dataclass(frozen=True)
class StockBadge:
    """The stock line on a card: a label and a Bootstrap colour."""

    label: str
    tone: str
    available: bool


def badge_for(total_stock: int, threshold: int) -> StockBadge:
    """Return "In stock", "Only N left" (at or below the threshold) or "Sold out"."""
    if is_sold_out(total_stock):
        return StockBadge("Sold out", "secondary", False)
    if is_low_on_stock(total_stock, threshold):
        return StockBadge(f"Only {total_stock} left", "warning", True)
    return StockBadge("In stock", "success", True)


def stock_badge(product: Product) -> StockBadge:
    """Return a product's badge: its variants' total stock against their highest threshold."""
    total = sum(max(variant.stock, 0) for variant in product.variants)
    threshold = max((variant.low_stock_threshold for variant in product.variants), default=0)
    return badge_for(total, threshold)


def guest_would_see(before: int, after: int, badge_threshold: int | None) -> bool:
    """Return True if a stock change from `before` to `after` could change a shop page.

    Pages show a variant's stock only as sold out or not, the cart limit (stock up to the
    cart maximum) and the product's badge, which counts down ("Only N left") while the
    product's total is at or below `badge_threshold`, its variants' highest threshold (None:
    unknown). The product's total is at least this variant's stock, so above the threshold no
    badge moves: a sale from 500 to 499 shows nowhere.
    """
    if is_sold_out(before) != is_sold_out(after) or cart_limit(before) != cart_limit(after):
        return True
    return badge_threshold is None or min(before, after) <= badge_threshold


def badge_threshold_of(variant_id: int) -> int | None:
    """Return the highest low-stock threshold among the variant's product's variants."""
    product_id = select(Variant.product_id).where(Variant.id == variant_id).scalar_subquery()
    return db.session.scalar(
        select(func.max(Variant.low_stock_threshold)).where(Variant.product_id == product_id)
    )


def change_shows_on_pages(
    variant_id: int, before: int | None, after: int | None, badge_threshold: int | None = None
) -> bool:
    """Return True if a guest could see a variant's stock change (levels None: unknown)."""
    if before is None or after is None:
        return True
    if badge_threshold is None:
        badge_threshold = badge_threshold_of(variant_id)
    return guest_would_see(before, after, badge_threshold)


def register_stock_helpers(app: Flask) -> None:
    """Give templates the stock rules: a badge filter, `cart_limit()` and two variant tests."""
    app.add_template_filter(stock_badge, "stock_badge")
    app.add_template_global(cart_limit, "cart_limit")
    app.add_template_test(lambda variant: is_sold_out(variant.stock), "sold_out")
    app.add_template_test(
        lambda variant: is_low_on_stock(variant.stock, variant.low_stock_threshold),
        "low_on_stock",
    )
