"""What each back-office deletion asks before it is done: in a modal, or on a page of its own.

With JavaScript the Delete button opens a modal; without it, the same button is a link to the
deletion's own address, where a GET shows the same question as a page. Both post the same form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, url_for

from storefront.admin.blueprint import bp
from storefront.catalog.models import Category, Product, ProductImage, Variant


@dataclass(frozen=True)
class Confirmation:
    """A question asked before a deletion, and where its answers lead."""

    action: str  # the deletion's address: POST deletes, GET shows this question as a page
    title: str
    body: str
    back_url: str  # where "Keep it" leads from the page
    confirm_label: str = "Delete"


def category_deletion(category: Category) -> Confirmation:
    """Return the question asked before deleting a category."""
    return Confirmation(
        url_for("admin.delete_category", category_id=category.id),
        f"Delete {category.name}?",
        "Only an empty category can be deleted.",
        url_for("admin.categories"),
    )


def product_deletion(product: Product) -> Confirmation:
    """Return the question asked before deleting a product."""
    return Confirmation(
        url_for("admin.delete_product", product_id=product.id),
        f"Delete {product.name}?",
        "A product that has been ordered is archived (hidden from the shop) instead of deleted.",
        url_for("admin.edit_product", product_id=product.id),
    )


def variant_removal(product: Product, variant: Variant) -> Confirmation:
    """Return the question asked before removing an option (size) of a product."""
    return Confirmation(
        url_for("admin.remove_variant", product_id=product.id, variant_id=variant.id),
        f"Remove option {variant.sku}?",
        "Its remaining stock is written off in the ledger.",
        url_for("admin.edit_product", product_id=product.id, _anchor="variants"),
        confirm_label="Remove",
    )


def image_deletion(product: Product, image: ProductImage) -> Confirmation:
    """Return the question asked before deleting a product image."""
    return Confirmation(
        url_for("admin.delete_image", product_id=product.id, image_id=image.id),
        "Delete this image?",
        "The image and its thumbnail are removed.",
        url_for("admin.edit_product", product_id=product.id, _anchor="images"),
    )


@bp.context_processor
def deletion_questions() -> dict:
    """Give the back-office templates the questions their Delete buttons ask."""
    return {
        "category_deletion": category_deletion,
        "product_deletion": product_deletion,
        "variant_removal": variant_removal,
        "image_deletion": image_deletion,
    }


def confirmation_page(confirmation: Confirmation):
    """Render the question as a page (the Delete button without JavaScript leads here)."""
    return render_template("admin/confirm.html", confirmation=confirmation)


def one_of(items, item_id: int):
    """Return the item of a product's variants or images with this id, or answer 404."""
    for item in items:
        if item.id == item_id:
            return item
    abort(404)
