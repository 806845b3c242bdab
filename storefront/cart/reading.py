"""Reading a cart to show it: its lines priced now, in one query and without loading records.

The cart page and both checkout pages show the cart on every visit. They need plain values
(names, prices, stock, the main image), so this reads exactly those columns in one joined
query instead of loading the cart, its lines, their variants, products and images as
records. Changes to a cart still go through `owners.find_cart` and the loaded records.
"""

from __future__ import annotations

from sqlalchemy import select

from storefront.cart.lines import PricedLine, issues_of
from storefront.cart.models import Cart, CartLine
from storefront.cart.owners import CartOwner
from storefront.catalog.models import Product, ProductImage, Variant
from storefront.extensions import db


def _main_image_key():
    """The storage key of a product's first image in gallery order (None without images)."""
    return (
        select(ProductImage.storage_key)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )


def _lines_statement(owner_column: str, owner):
    """Return the query for the lines of the cart whose `owner_column` equals `owner`."""
    return (
        select(
            CartLine.id,
            CartLine.quantity,
            CartLine.unit_price_cents_seen,
            Variant.id,
            Variant.label,
            Variant.sku,
            Variant.stock,
            Variant.price_cents,
            Product.id,
            Product.name,
            Product.slug,
            Product.is_active,
            _main_image_key(),
        )
        .select_from(CartLine)
        .join(Cart, Cart.id == CartLine.cart_id)
        .join(Variant, Variant.id == CartLine.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .where(getattr(Cart, owner_column) == owner)
        .order_by(CartLine.id)
    )


def priced_lines(owner: CartOwner, currency: str) -> list[PricedLine]:
    """Return the owner's cart lines priced from the database now (none without a cart)."""
    if owner.cart_column is None:
        return []
    column, value = owner.cart_column
    lines = []
    for (
        line_id,
        quantity,
        price_seen,
        variant_id,
        label,
        sku,
        stock,
        price,
        product_id,
        name,
        slug,
        is_active,
        image_key,
    ) in db.session.execute(_lines_statement(column, value)):
        issues = issues_of(
            is_active=is_active,
            stock=stock,
            quantity=quantity,
            price_cents=price,
            price_seen_cents=price_seen,
            currency=currency,
        )
        lines.append(
            PricedLine(
                line_id=line_id,
                variant_id=variant_id,
                product_id=product_id,
                product_name=name,
                product_slug=slug,
                variant_label=label,
                sku=sku,
                quantity=quantity,
                unit_price_cents=price,
                unit_price_seen_cents=price_seen,
                available=stock,
                image_key=image_key,
                issues=issues,
            )
        )
    return lines
