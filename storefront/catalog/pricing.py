"""A product's price range, derived from its variants' unit prices."""

from __future__ import annotations

from storefront.catalog.models import Product


def refresh_price_range(product: Product) -> None:
    """Set the product's price_min/max_cents from its variants (no commit)."""
    prices = [variant.price_cents for variant in product.variants] or [product.base_price_cents]
    product.price_min_cents = min(prices)
    product.price_max_cents = max(prices)


def has_price_range(product: Product) -> bool:
    """Return True when the variants cost different amounts ("from €X")."""
    return product.price_max_cents > product.price_min_cents
