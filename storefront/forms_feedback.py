"""Showing a service's refusal on the form it came from, for the views of every domain."""

from __future__ import annotations

from collections.abc import Mapping

from flask import flash

from storefront.errors import ShopError


def show_error(error: ShopError, form=None, renamed: Mapping[str, str] | None = None) -> int:
    """Put the error beside its form field, or flash it for the whole form; return its status.

    `renamed` maps a service's field name to the form's where they differ ({"email":
    "new_email"}). The status is the error's own (409 for a conflict, 404 for a record that
    is gone), kept within 4xx: a refusal is never a server fault.
    """
    name = (renamed or {}).get(error.field, error.field)
    field = getattr(form, name, None) if form is not None and name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
    return error.status if 400 <= error.status < 500 else 400
