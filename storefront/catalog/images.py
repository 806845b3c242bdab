"""Prove an upload is an image, re-encode it clean, and make its thumbnail."""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from storefront.errors import ValidationFailed

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
FULL_SIZE = (1600, 1600)
THUMB_SIZE = (480, 360)


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded image and its thumbnail, ready to store."""

    key: str
    full: bytes
    thumb: bytes
    width: int
    height: int

    @property
    def full_key(self) -> str:
        """Return the storage key of the full-size file."""
        return f"{self.key}-full.webp"

    @property
    def thumb_key(self) -> str:
        """Return the storage key of the thumbnail."""
        return f"{self.key}-thumb.webp"


def full_key(storage_key: str) -> str:
    """Return the key of an image's full-size file."""
    return f"{storage_key}-full.webp"


def thumb_key(storage_key: str) -> str:
    """Return the key of an image's thumbnail."""
    return f"{storage_key}-thumb.webp"


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=82, method=2)
    return buffer.getvalue()


def process_image(data: bytes, max_bytes: int, max_pixels: int) -> ProcessedImage:
    """Return the upload re-encoded as WebP with a thumbnail, or raise ValidationFailed."""
    if not data:
        raise ValidationFailed("The file is empty.", field="image")
    if len(data) > max_bytes:
        raise ValidationFailed(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB.", field="image"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = opened.size
            if width * height > max_pixels:
                raise ValidationFailed(
                    f"The image has more than {max_pixels // 1_000_000} megapixels.",
                    field="image",
                )
            opened.load()
    except ValidationFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationFailed(
            f"The image has more than {max_pixels // 1_000_000} megapixels.", field="image"
        ) from None
    except UnidentifiedImageError:
        raise ValidationFailed(
            "Only JPEG, PNG or WebP images are accepted.", field="image"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ValidationFailed("The image file is damaged or incomplete.", field="image") from None

    image = ImageOps.exif_transpose(opened)
    image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail(FULL_SIZE)
    thumbnail = ImageOps.fit(image.convert("RGB"), THUMB_SIZE)
    return ProcessedImage(
        key=secrets.token_hex(16),
        full=_encode(image),
        thumb=_encode(thumbnail),
        width=image.width,
        height=image.height,
    )
