"""The order quote: what a cart costs as an order (subtotal, shipping, total), in cents.

The one home of an order's totals. The cart page shows it with the cheapest shipping as an
estimate, the review page with the chosen method, and placement charges it: all three call
`quote_order` on lines priced from the database at that moment, so the customer is charged
what the review page showed. VAT and discount lines belong here, between subtotal and total.
It lives in `cart` because the cart page shows it, and `orders` builds on the cart (orders
imports cart, never the reverse).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from storefront.cart.shipping import ShippingOption, cheapest_shipping, shipping_option


class QuotedItem(Protocol):
    """A line to quote: a unit price from the database now, and a quantity."""

    @property
    def unit_price_cents(self) -> int:
        """Return what one unit costs now."""

    @property
    def quantity(self) -> int:
        """Return how many."""


@dataclass(frozen=True)
class OrderQuote:
    """An order's totals: subtotal of the lines, the shipping method priced, and the total."""

    subtotal_cents: int
    shipping: ShippingOption
    shipping_cents: int
    total_cents: int
    currency: str


def quote_order(
    lines: Sequence[QuotedItem],
    shipping_methods: list[dict],
    currency: str,
    shipping_code: str | None = None,
) -> OrderQuote:
    """Return the quote for `lines`: by the method `shipping_code`, or the cheapest one.

    Raises ValidationFailed (field `shipping_method`) for a method the shop does not offer.
    Nothing to ship ships free.
    """
    subtotal = sum(line.unit_price_cents * line.quantity for line in lines)
    if shipping_code is None:
        shipping = cheapest_shipping(shipping_methods, subtotal)
    else:
        shipping = shipping_option(shipping_methods, shipping_code, subtotal)
    shipping_cents = shipping.price_cents if lines else 0
    return OrderQuote(
        subtotal_cents=subtotal,
        shipping=shipping,
        shipping_cents=shipping_cents,
        total_cents=subtotal + shipping_cents,
        currency=currency,
    )
