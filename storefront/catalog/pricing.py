"""Prices and stock as a customer sees them, derived from a product's variants."""

from __future__ import annotations

from dataclasses import dataclass

from storefront.catalog.models import Product


def refresh_price_range(product: Product) -> None:
    """Set the product's price_min/max_cents from its variants (no commit)."""
    prices = [
        variant.price_override_cents
        if variant.price_override_cents is not None
        else product.base_price_cents
        for variant in product.variants
    ] or [product.base_price_cents]
    product.price_min_cents = min(prices)
    product.price_max_cents = max(prices)


def has_price_range(product: Product) -> bool:
    """Return True when the variants cost different amounts ("from €X")."""
    return product.price_max_cents > product.price_min_cents


@dataclass(frozen=True)
class StockBadge:
    """The stock line on a card: a label and a Bootstrap colour."""

    label: str
    tone: str
    available: bool


def stock_badge(product: Product) -> StockBadge:
    """Return "In stock", "Only N left" (at or below the threshold) or "Sold out"."""
    total = sum(max(variant.stock, 0) for variant in product.variants)
    if total <= 0:
        return StockBadge("Sold out", "secondary", False)
    threshold = max((variant.low_stock_threshold for variant in product.variants), default=0)
    if total <= threshold:
        return StockBadge(f"Only {total} left", "warning", True)
    return StockBadge("In stock", "success", True)
