"""Back-office image use cases: upload, order, describe and delete a product's pictures."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from storefront.audit import record_audit
from storefront.catalog.images import ProcessedImage, full_key, process_image, thumb_key
from storefront.catalog.models import ProductImage
from storefront.catalog.services import get_product
from storefront.catalog.storage import image_storage
from storefront.database import transactional
from storefront.errors import NotFound, ValidationFailed
from storefront.extensions import db

MAX_IMAGES_PER_UPLOAD = 20


def discard_image_files(storage_keys: list[str]) -> None:
    """Delete the full-size and thumbnail files of images that are gone."""
    storage = image_storage()
    for key in storage_keys:
        storage.delete(full_key(key))
        storage.delete(thumb_key(key))


def prepare_images(uploads: list[tuple[str, bytes]], max_bytes: int, max_pixels: int) -> list:
    """Prove and re-encode every upload, or raise ValidationFailed naming the refused file."""
    if not uploads:
        raise ValidationFailed("Choose one or more images.", field="images")
    if len(uploads) > MAX_IMAGES_PER_UPLOAD:
        raise ValidationFailed(
            f"Upload at most {MAX_IMAGES_PER_UPLOAD} images at a time.", field="images"
        )
    processed = []
    for position, (filename, data) in enumerate(uploads, start=1):
        try:
            processed.append(process_image(data, max_bytes, max_pixels))
        except ValidationFailed as error:
            # The client's file name is shown (escaped) to say which file; it is never stored.
            shown = (filename or f"File {position}").replace("\x00", "")[:80]
            raise ValidationFailed(f"{shown}: {error.message}", field="images") from None
    return processed


@transactional
def _attach_images(actor, product_id: int, processed: list[ProcessedImage], alt_text: str):
    product = get_product(product_id)
    storage = image_storage()
    position = max((image.position for image in product.images), default=-1) + 1
    added = []
    for offset, picture in enumerate(processed):
        storage.save(picture.full_key, picture.full)
        storage.save(picture.thumb_key, picture.thumb)
        image = ProductImage(
            storage_key=picture.key,
            width=picture.width,
            height=picture.height,
            alt_text=alt_text.strip()[:200],
            position=position + offset,
        )
        product.images.append(image)
        added.append(image)
    db.session.flush()
    record_audit(
        actor,
        "image.upload",
        "product",
        product.id,
        f"Added {len(added)} image(s) to “{product.name}”",
    )
    return added


def add_product_images(
    actor,
    product_id: int,
    uploads: list[tuple[str, bytes]],
    max_bytes: int,
    max_pixels: int,
    alt_text: str = "",
) -> list[ProductImage]:
    """Add uploaded images to a product's gallery: all of them, or none when one is refused."""
    processed = prepare_images(uploads, max_bytes, max_pixels)
    try:
        return _attach_images(actor, product_id, processed, alt_text)
    except (SQLAlchemyError, NotFound):
        # The rows rolled back: remove the files written for them (local storage).
        discard_image_files([picture.key for picture in processed])
        raise


def _get_image(product_id: int, image_id: int) -> ProductImage:
    image = db.session.get(ProductImage, image_id)
    if image is None or image.product_id != product_id:
        raise NotFound("That image does not exist.")
    return image


def _renumber(images: list[ProductImage]) -> None:
    for position, image in enumerate(images):
        image.position = position


@transactional
def set_main_image(actor, product_id: int, image_id: int) -> None:
    """Make an image the product's main one (first in the gallery)."""
    image = _get_image(product_id, image_id)
    others = [other for other in image.product.images if other.id != image.id]
    _renumber([image, *others])
    record_audit(actor, "image.main", "product", product_id, f"Main image is now #{image.id}")


@transactional
def move_image(actor, product_id: int, image_id: int, step: int) -> None:
    """Move an image one place earlier (step -1) or later (step +1) in the gallery."""
    image = _get_image(product_id, image_id)
    images = list(image.product.images)
    index = images.index(image)
    target = max(0, min(len(images) - 1, index + (1 if step > 0 else -1)))
    images.insert(target, images.pop(index))
    _renumber(images)
    record_audit(actor, "image.move", "product", product_id, f"Moved image #{image.id}")


@transactional
def update_image_alt(actor, product_id: int, image_id: int, alt_text: str) -> None:
    """Change the text that describes an image to people who cannot see it."""
    image = _get_image(product_id, image_id)
    image.alt_text = (alt_text or "").strip()[:200]
    record_audit(actor, "image.alt", "product", product_id, f"Alt text of image #{image.id}")


@transactional
def delete_image(actor, product_id: int, image_id: int) -> None:
    """Remove an image from the gallery and its files from storage."""
    image = _get_image(product_id, image_id)
    product = image.product
    key = image.storage_key
    product.images.remove(image)
    db.session.flush()
    _renumber(list(product.images))
    discard_image_files([key])
    record_audit(actor, "image.delete", "product", product_id, f"Deleted image #{image_id}")
