"""Domain errors raised by services: a message, its form field, a code and an HTTP status.

`field` names the form field the message belongs beside (None for the whole form).
"""

from __future__ import annotations


class ShopError(Exception):
    """A business rule refused the action; safe to show its message to the user."""

    code = "shop_error"
    status = 400
    field: str | None = None  # a subclass may name the field its errors always belong to

    def __init__(
        self, message: str, field: str | None = None, status: int | None = None, **details
    ) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if status is not None:
            self.status = status
        self.details = details


class NotFound(ShopError):
    """The record does not exist or is not visible to this person."""

    code = "not_found"
    status = 404


class ValidationFailed(ShopError):
    """Input broke a business rule."""

    code = "invalid"
    status = 400


class Conflict(ShopError):
    """The action clashes with the current state (a duplicate, a stale version)."""

    code = "conflict"
    status = 409


class InsufficientStock(ShopError):
    """Not enough stock for one or more lines; `items` lists what is short."""

    code = "insufficient_stock"
    status = 409

    def __init__(
        self, items: list[dict], message: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message or "Not enough stock for some items.", field, items=items)
        self.items = items


class InvalidTransition(ShopError):
    """An order status change that the workflow does not allow."""

    code = "invalid_transition"
    status = 409
