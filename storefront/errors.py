"""Domain errors raised by services; each carries a message for the user and a code."""

from __future__ import annotations


class ShopError(Exception):
    """A business rule refused the action; safe to show its message to the user."""

    code = "shop_error"
    status = 400

    def __init__(self, message: str, **details) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ShopError):
    """The record does not exist or is not visible to this person."""

    code = "not_found"
    status = 404


class ValidationFailed(ShopError):
    """Input broke a business rule; `field` names the form field when there is one."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, field: str | None = None, **details) -> None:
        super().__init__(message, **details)
        self.field = field


class Conflict(ShopError):
    """The action clashes with the current state (a duplicate, a stale version)."""

    code = "conflict"
    status = 409


class InsufficientStock(ShopError):
    """Not enough stock for one or more lines; `items` lists what is short."""

    code = "insufficient_stock"
    status = 409

    def __init__(self, items: list[dict], message: str | None = None) -> None:
        super().__init__(message or "Not enough stock for some items.", items=items)
        self.items = items


class NotAllowed(ShopError):
    """The person may not do this."""

    code = "not_allowed"
    status = 403


class InvalidTransition(ShopError):
    """An order status change that the workflow does not allow."""

    code = "invalid_transition"
    status = 409
