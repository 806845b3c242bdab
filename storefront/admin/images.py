"""Back-office product images: upload several, choose the main one, reorder, describe, delete."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user

from storefront.admin.blueprint import bp
from storefront.admin.confirmations import confirmation_page, image_deletion, one_of
from storefront.admin.forms import AltTextForm, ImageUploadForm
from storefront.admin.products import edit_page, load_product
from storefront.catalog import gallery
from storefront.errors import ShopError
from storefront.forms_feedback import show_error


def _uploads() -> list[tuple[str, bytes]]:
    """Return (client file name, bytes) per chosen file, reading at most one byte past the limit."""
    limit = current_app.config["IMAGE_MAX_BYTES"]
    return [
        (upload.filename or "", upload.read(limit + 1))
        for upload in request.files.getlist("images")
        if upload and upload.filename
    ]


def _back(product_id: int):
    return redirect(url_for("admin.edit_product", product_id=product_id, _anchor="images"))


@bp.post("/products/<int:product_id>/images")
def upload_images(product_id: int):
    """Add uploaded images to the gallery; a refused file stores nothing and says why."""
    product = load_product(product_id)
    form = ImageUploadForm()
    if not form.validate_on_submit():
        return edit_page(product, status=400, upload_form=form)
    try:
        added = gallery.add_product_images(
            current_user,
            product.id,
            _uploads(),
            current_app.config["IMAGE_MAX_BYTES"],
            current_app.config["IMAGE_MAX_PIXELS"],
            form.alt_text.data or "",
        )
    except ShopError as error:
        status = show_error(error, form)
        return edit_page(load_product(product_id), status=status, upload_form=form)
    flash(f"{len(added)} image(s) added.", "success")
    return _back(product_id)


def _act(product_id: int, action, message: str):
    try:
        action()
    except ShopError as error:
        show_error(error)
    else:
        flash(message, "success")
    return _back(product_id)


@bp.post("/products/<int:product_id>/images/<int:image_id>/main")
def main_image(product_id: int, image_id: int):
    """Make an image the main one."""
    return _act(
        product_id,
        lambda: gallery.set_main_image(current_user, product_id, image_id),
        "The main image was changed.",
    )


@bp.post("/products/<int:product_id>/images/<int:image_id>/move")
def move_image(product_id: int, image_id: int):
    """Move an image earlier or later in the gallery."""
    step = -1 if request.form.get("direction") == "up" else 1
    return _act(
        product_id,
        lambda: gallery.move_image(current_user, product_id, image_id, step),
        "The image was moved.",
    )


@bp.post("/products/<int:product_id>/images/<int:image_id>/alt")
def image_alt(product_id: int, image_id: int):
    """Save an image's alt text."""
    form = AltTextForm()
    if not form.validate_on_submit():
        flash("Alt text: at most 200 characters.", "danger")
        return _back(product_id)
    return _act(
        product_id,
        lambda: gallery.update_image_alt(current_user, product_id, image_id, form.alt_text.data),
        "The alt text was saved.",
    )


@bp.get("/products/<int:product_id>/images/<int:image_id>/delete")
def confirm_image_deletion(product_id: int, image_id: int):
    """Ask before deleting an image (where its Delete button leads without JavaScript)."""
    product = load_product(product_id)
    return confirmation_page(image_deletion(product, one_of(product.images, image_id)))


@bp.post("/products/<int:product_id>/images/<int:image_id>/delete")
def delete_image(product_id: int, image_id: int):
    """Delete an image and its files."""
    return _act(
        product_id,
        lambda: gallery.delete_image(current_user, product_id, image_id),
        "The image was deleted.",
    )
