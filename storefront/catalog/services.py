"""Back-office catalogue rules: products and their variants.

`update_product` and `update_variant` are whole audited use cases. Adding a product or an
option and removing one also move stock or depend on orders, so `new_product`, `new_variant`
and `drop_variant` run in the caller's transaction: the back office's use cases in
`admin/operations.py` combine them with inventory and audit them.
"""

from __future__ import annotations

from dataclasses import dataclass

from slugify import slugify
from sqlalchemy import select

from storefront.audit import record_audit
from storefront.catalog.models import Category, Product, Variant
from storefront.catalog.pricing import refresh_price_range
from storefront.database import transactional
from storefront.errors import Conflict, NotFound, ValidationFailed
from storefront.extensions import db
from storefront.money import format_amount


@dataclass
class ProductDetails:
    """What the product form edits."""

    name: str
    slug: str
    description: str
    base_price_cents: int
    category_id: int | None
    is_active: bool = True


@dataclass
class VariantDetails:
    """What the variant form edits; `initial_stock` is used only when adding."""

    label: str
    sku: str
    price_override_cents: int | None
    low_stock_threshold: int
    initial_stock: int = 0


def get_product(product_id: int) -> Product:
    """Return the product, or raise NotFound."""
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound("That product does not exist.")
    return product


def unique_slug(wanted: str, name: str, product_id: int | None = None) -> str:
    """Return a slug for the product, refusing one another product already uses."""
    slug = slugify(wanted or name, max_length=200)
    if not slug:
        raise ValidationFailed("Enter a name or a slug with letters or digits.", field="slug")
    taken = db.session.scalar(
        select(Product.id).where(Product.slug == slug, Product.id != (product_id or 0))
    )
    if taken is not None:
        raise Conflict(f"Another product already uses the slug “{slug}”.", field="slug")
    return slug


def _check_category(category_id: int | None) -> None:
    if category_id is not None and db.session.get(Category, category_id) is None:
        raise ValidationFailed("Choose an existing category.", field="category_id")


def _check_sku(sku: str, variant_id: int | None = None) -> str:
    sku = (sku or "").strip().upper()
    if not sku:
        raise ValidationFailed("Enter a SKU.", field="sku")
    taken = db.session.scalar(select(Variant.id).where(Variant.sku == sku))
    if taken is not None and taken != variant_id:
        raise Conflict(f"The SKU {sku} is already used by another option.", field="sku")
    return sku


def _apply_details(product: Product, details: ProductDetails) -> None:
    if not details.name.strip():
        raise ValidationFailed("Enter a name.", field="name")
    if details.base_price_cents < 0:
        raise ValidationFailed("The price cannot be negative.", field="base_price")
    _check_category(details.category_id)
    product.slug = unique_slug(details.slug, details.name, product.id)
    product.name = details.name.strip()
    product.description = details.description.strip()
    product.base_price_cents = details.base_price_cents
    product.category_id = details.category_id
    product.is_active = details.is_active


def new_product(details: ProductDetails, first_variant: VariantDetails) -> Product:
    """Add a product with its first option, no stock yet (caller's transaction)."""
    product = Product(price_min_cents=0, price_max_cents=0)
    _apply_details(product, details)
    db.session.add(product)
    db.session.flush()
    _add_variant(product, first_variant)
    return product


@transactional
def update_product(actor, product_id: int, details: ProductDetails) -> Product:
    """Change a product's details and keep its price range current."""
    product = get_product(product_id)
    _apply_details(product, details)
    refresh_price_range(product)
    record_audit(
        actor,
        "product.update",
        "product",
        product.id,
        f"Updated “{product.name}” (price {format_amount(product.base_price_cents)}, "
        f"{'active' if product.is_active else 'archived'})",
    )
    return product


def _check_variant_details(details: VariantDetails) -> None:
    if details.price_override_cents is not None and details.price_override_cents < 0:
        raise ValidationFailed("The price cannot be negative.", field="price_override")
    if details.low_stock_threshold < 0:
        raise ValidationFailed("Enter zero or more.", field="low_stock_threshold")


def _add_variant(product: Product, details: VariantDetails) -> Variant:
    _check_variant_details(details)
    label = details.label.strip()
    if any(variant.label == label for variant in product.variants):
        raise Conflict(f"This product already has the option “{label}”.", field="label")
    if details.initial_stock < 0:
        raise ValidationFailed("Enter zero or more.", field="initial_stock")
    variant = Variant(
        label=label,
        sku=_check_sku(details.sku),
        price_override_cents=details.price_override_cents,
        low_stock_threshold=details.low_stock_threshold,
        stock=0,
        position=max((v.position for v in product.variants), default=-1) + 1,
    )
    product.variants.append(variant)
    db.session.flush()
    refresh_price_range(product)
    return variant


def new_variant(product_id: int, details: VariantDetails) -> Variant:
    """Add an option (a size) to a product, no stock yet (caller's transaction)."""
    return _add_variant(get_product(product_id), details)


def _get_variant(product_id: int, variant_id: int) -> Variant:
    variant = db.session.get(Variant, variant_id)
    if variant is None or variant.product_id != product_id:
        raise NotFound("That product option does not exist.")
    return variant


@transactional
def update_variant(actor, product_id: int, variant_id: int, details: VariantDetails) -> Variant:
    """Change an option's label, SKU, price override or threshold (stock changes elsewhere)."""
    variant = _get_variant(product_id, variant_id)
    _check_variant_details(details)
    label = details.label.strip()
    if any(v.label == label and v.id != variant.id for v in variant.product.variants):
        raise Conflict(f"This product already has the option “{label}”.", field="label")
    variant.sku = _check_sku(details.sku, variant.id)
    variant.label = label
    variant.price_override_cents = details.price_override_cents
    variant.low_stock_threshold = details.low_stock_threshold
    refresh_price_range(variant.product)
    record_audit(actor, "variant.update", "variant", variant.id, f"Updated {variant.sku}")
    return variant


def check_variant_removable(product_id: int, variant_id: int) -> None:
    """Refuse to remove a product's last option, or one that does not exist."""
    variant = _get_variant(product_id, variant_id)
    if len(variant.product.variants) <= 1:
        raise ValidationFailed(
            "A product needs at least one option; archive or delete the product instead."
        )


def drop_variant(product_id: int, variant_id: int) -> str:
    """Remove an option whose stock is already written off (caller's transaction); its SKU."""
    variant = _get_variant(product_id, variant_id)
    product = variant.product
    sku = variant.sku
    product.variants.remove(variant)
    db.session.flush()
    refresh_price_range(product)
    return sku


def archive_product(product: Product) -> None:
    """Hide a product from the shop, keeping it for the orders that name it."""
    product.is_active = False


def delete_product(product: Product) -> list[str]:
    """Delete a product with its options and images; return the image files to discard."""
    keys = [image.storage_key for image in product.images]
    db.session.delete(product)
    db.session.flush()
    return keys
