"""Payment providers behind one small interface; the shop ships two offline ones.

A provider has a code (stored on the order), a label, the status a new order starts in, and the
instructions the customer sees on the confirmation page and in the email. An online provider
would add a redirect step here; the order flow would not change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from storefront.errors import ValidationFailed
from storefront.money import format_money
from storefront.orders.models import STATUS_PENDING_PAYMENT


@dataclass(frozen=True)
class PaymentProvider:
    """A way to pay: what it is called, how an order starts, what the customer must do."""

    code: str
    label: str
    description: str
    initial_status: str
    _instructions: Callable[[object, Mapping], str]

    def instructions(self, order, settings: Mapping) -> str:
        """Return what the customer must do to pay for `order`."""
        return self._instructions(order, settings)


def _cash_on_delivery(order, settings: Mapping) -> str:
    total = format_money(order.total_cents, order.currency)
    return f"Please have {total} ready when your parcel arrives; you pay the courier."


def _bank_transfer(order, settings: Mapping) -> str:
    total = format_money(order.total_cents, order.currency)
    return (
        f"Please transfer {total} to {settings['STOREFRONT_BANK_DETAILS']}, "
        f"quoting your order reference {order.reference}. We ship once the money arrives."
    )


PROVIDERS: dict[str, PaymentProvider] = {
    provider.code: provider
    for provider in (
        PaymentProvider(
            "cod",
            "Pay on delivery",
            "Pay the courier in cash or by card when the parcel arrives.",
            STATUS_PENDING_PAYMENT,
            _cash_on_delivery,
        ),
        PaymentProvider(
            "bank_transfer",
            "Bank transfer",
            "Transfer the total to our bank account; we ship once it arrives.",
            STATUS_PENDING_PAYMENT,
            _bank_transfer,
        ),
    )
}


def payment_providers() -> list[PaymentProvider]:
    """Return the providers a customer can choose from, in display order."""
    return list(PROVIDERS.values())


def payment_provider(code: str | None) -> PaymentProvider:
    """Return the provider named `code`, or raise ValidationFailed."""
    provider = PROVIDERS.get(code or "")
    if provider is None:
        raise ValidationFailed("Choose a payment method.", field="payment_method")
    return provider


def payment_label(code: str) -> str:
    """Return a provider's label for display (the code itself if it is no longer offered)."""
    provider = PROVIDERS.get(code)
    return provider.label if provider else code
