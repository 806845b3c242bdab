"""Back-office use cases that span domains: products with their stock, and the orders rule.

Each is one audited transaction built from the catalogue's rules (in the caller's
transaction), inventory's stock movements and, for deletion, whether anyone ordered it.
"""

from __future__ import annotations

from sqlalchemy import func, select

from storefront.audit import record_audit
from storefront.catalog import services as catalog
from storefront.catalog.gallery import discard_image_files
from storefront.catalog.models import Product, Variant
from storefront.database import transactional
from storefront.extensions import db
from storefront.inventory.services import clear_stock_of_removed_variant, stock_new_variant
from storefront.orders.models import OrderLine


@transactional
def create_product(
    actor, details: catalog.ProductDetails, first_variant: catalog.VariantDetails
) -> Product:
    """Create a product with its first option; its initial stock goes through the ledger."""
    product = catalog.new_product(details, first_variant)
    _stock(actor, product.variants[0], first_variant.initial_stock)
    record_audit(actor, "product.create", "product", product.id, f"Created “{product.name}”")
    return product


@transactional
def add_variant(actor, product_id: int, details: catalog.VariantDetails) -> Variant:
    """Add an option (a size) to a product, its initial stock written to the ledger."""
    variant = catalog.new_variant(product_id, details)
    _stock(actor, variant, details.initial_stock)
    record_audit(
        actor,
        "variant.create",
        "variant",
        variant.id,
        f"Added {variant.sku} ({variant.label or 'default'}) to “{variant.product.name}” "
        f"with stock {variant.stock}",
    )
    return variant


def _stock(actor, variant: Variant, quantity: int) -> None:
    if stock_new_variant(actor, variant.id, quantity):
        db.session.refresh(variant)  # the level changed by a conditional UPDATE


@transactional
def remove_variant(actor, product_id: int, variant_id: int) -> str:
    """Remove an option; its remaining stock is written off first so the ledger shows it leave."""
    catalog.check_variant_removable(product_id, variant_id)
    clear_stock_of_removed_variant(actor, variant_id)
    sku = catalog.drop_variant(product_id, variant_id)
    record_audit(actor, "variant.delete", "variant", variant_id, f"Removed {sku}")
    return sku


@transactional
def delete_or_archive_product(actor, product_id: int) -> str:
    """Delete a product, or archive it when it has been ordered; return a message saying which."""
    product = catalog.get_product(product_id)
    ordered = db.session.scalar(
        select(func.count(OrderLine.id)).where(OrderLine.product_id == product.id)
    )
    if ordered:
        catalog.archive_product(product)
        record_audit(actor, "product.archive", "product", product.id, f"Archived “{product.name}”")
        return (
            f"“{product.name}” has been ordered, so it was archived (hidden from the shop) "
            "instead of deleted."
        )
    name = product.name
    record_audit(actor, "product.delete", "product", product.id, f"Deleted “{name}”")
    discard_image_files(catalog.delete_product(product))
    return f"“{name}” was deleted."
