"""Shipping methods from the settings, priced for a given subtotal."""

from __future__ import annotations

from dataclasses import dataclass

from storefront.errors import ValidationFailed


@dataclass(frozen=True)
class ShippingOption:
    """A way to ship, with its price for this order (zero once free shipping applies)."""

    code: str
    label: str
    price_cents: int
    regular_price_cents: int
    free_above_cents: int | None

    @property
    def is_free(self) -> bool:
        """Return True when this order ships free by this method."""
        return self.price_cents == 0


def shipping_options(methods: list[dict], subtotal_cents: int) -> list[ShippingOption]:
    """Return every configured method priced for `subtotal_cents`."""
    options = []
    for method in methods:
        threshold = method.get("free_above_cents")
        free = threshold is not None and subtotal_cents >= threshold
        options.append(
            ShippingOption(
                code=method["code"],
                label=method["label"],
                price_cents=0 if free else method["price_cents"],
                regular_price_cents=method["price_cents"],
                free_above_cents=threshold,
            )
        )
    return options


def cheapest_shipping(methods: list[dict], subtotal_cents: int) -> ShippingOption:
    """Return the cheapest method for `subtotal_cents` (the cart page's estimate)."""
    return min(shipping_options(methods, subtotal_cents), key=lambda option: option.price_cents)


def shipping_option(methods: list[dict], code: str, subtotal_cents: int) -> ShippingOption:
    """Return the method named `code` priced for `subtotal_cents`, or raise ValidationFailed."""
    for option in shipping_options(methods, subtotal_cents):
        if option.code == code:
            return option
    raise ValidationFailed("Choose a shipping method.", field="shipping_method")
