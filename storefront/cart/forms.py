"""The shape of cart input: whole numbers only; the services check ranges and stock."""

from __future__ import annotations

import re

from storefront.errors import NotFound, ValidationFailed
from storefront.inventory.levels import cart_maximum

_WHOLE_NUMBER = re.compile(r"^\s*\d{1,9}\s*$")


def parse_quantity(text: str | None, default: int | None = None) -> int:
    """Return the whole number typed as a quantity, `default` if the field was left out."""
    if text is None and default is not None:
        return default
    if text is None or not _WHOLE_NUMBER.match(text):
        raise ValidationFailed(
            f"Enter a whole number from 1 to {cart_maximum()}.", field="quantity"
        )
    return int(text)


def parse_variant_id(text: str | None) -> int:
    """Return the chosen variant's id, or raise when none (or nonsense) was sent."""
    if not text:
        raise ValidationFailed("Choose a size first.", field="variant_id")
    if not _WHOLE_NUMBER.match(text):
        raise NotFound("That product is not available.")
    return int(text)
