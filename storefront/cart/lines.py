"""A cart's lines as the customer sees them now, and what changed since they were added."""

from __future__ import annotations

from dataclasses import dataclass, field

from storefront.cart.models import CartLine
from storefront.cart.quote import OrderQuote
from storefront.inventory.levels import cart_limit, is_sold_out
from storefront.money import format_money

ISSUE_ARCHIVED = "archived"
ISSUE_SOLD_OUT = "sold_out"
ISSUE_SHORT = "short"
ISSUE_PRICE_CHANGED = "price_changed"


@dataclass
class PricedLine:
    """One cart line as the customer sees it now, with anything that needs their attention."""

    line_id: int
    variant_id: int
    product_id: int
    product_name: str
    product_slug: str
    variant_label: str
    sku: str
    quantity: int
    unit_price_cents: int
    unit_price_seen_cents: int
    available: int
    image_key: str | None = None
    issues: dict[str, str] = field(default_factory=dict)

    @property
    def line_total_cents(self) -> int:
        """Return unit price times quantity."""
        return self.unit_price_cents * self.quantity

    @property
    def max_quantity(self) -> int:
        """Return the most this line may hold: inventory's cart limit for its stock."""
        return cart_limit(self.available)


@dataclass
class CartSummary:
    """The whole cart priced now: its lines and their quote (cheapest shipping as estimate)."""

    lines: list[PricedLine]
    quote: OrderQuote

    @property
    def subtotal_cents(self) -> int:
        """Return the quote's subtotal."""
        return self.quote.subtotal_cents

    @property
    def shipping_cents(self) -> int:
        """Return the quote's shipping."""
        return self.quote.shipping_cents

    @property
    def shipping_label(self) -> str:
        """Return the name of the shipping method the quote uses."""
        return self.quote.shipping.label

    @property
    def total_cents(self) -> int:
        """Return the quote's total."""
        return self.quote.total_cents

    @property
    def item_count(self) -> int:
        """Return how many items the cart holds."""
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        """Return True when the cart has no lines."""
        return not self.lines

    @property
    def has_issues(self) -> bool:
        """Return True when any line needs the customer's attention before checkout."""
        return any(line.issues for line in self.lines)


def issues_of(
    *,
    is_active: bool,
    stock: int,
    quantity: int,
    price_cents: int,
    price_seen_cents: int,
    currency: str,
) -> dict[str, str]:
    """Return what changed for a line since it was added, as {issue code: message}."""
    issues: dict[str, str] = {}
    if not is_active:
        issues[ISSUE_ARCHIVED] = "This product is no longer sold."
    elif is_sold_out(stock):
        issues[ISSUE_SOLD_OUT] = "Sold out since you added it."
    elif stock < quantity:
        issues[ISSUE_SHORT] = f"Only {stock} left in stock."
    if price_cents != price_seen_cents:
        before = format_money(price_seen_cents, currency)
        now = format_money(price_cents, currency)
        issues[ISSUE_PRICE_CHANGED] = f"The price changed from {before} to {now}."
    return issues


def line_issues(line: CartLine, currency: str) -> dict[str, str]:
    """Return what changed for a loaded cart line since it was added (see `issues_of`)."""
    variant = line.variant
    return issues_of(
        is_active=variant.product.is_active,
        stock=variant.stock,
        quantity=line.quantity,
        price_cents=variant.price_cents,
        price_seen_cents=line.unit_price_cents_seen,
        currency=currency,
    )
