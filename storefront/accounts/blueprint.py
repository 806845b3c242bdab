"""The accounts blueprint and what its views share: showing a service error on its form."""

from __future__ import annotations

from flask import Blueprint, flash

from storefront.errors import ShopError

bp = Blueprint("accounts", __name__, template_folder="templates")

FORM_INVALID = 422


def attach_error(form, error: ShopError, fields: dict[str, str] | None = None) -> int:
    """Show a service error beside its field (or as a flash) and return the status to send."""
    name = (fields or {}).get(getattr(error, "field", None), getattr(error, "field", None))
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
    return error.status if 400 <= error.status < 500 else 400
