"""Showing a service's refusal on the form it came from, for the views of every domain."""

from __future__ import annotations

from flask import flash

from storefront.errors import ShopError


def show_error(error: ShopError, form=None) -> int:
    """Put the error beside its form field, or flash it for the whole form; return its status.

    The status is the error's own (409 for a conflict, 404 for a record that is gone), kept
    within 4xx: a refusal is never a server fault.
    """
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
    return error.status if 400 <= error.status < 500 else 400
