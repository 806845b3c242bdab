"""A customer's own orders: history, one order, cancelling, and their saved addresses."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import Address
from storefront.database import transactional
from storefront.errors import InvalidTransition, NotFound, ValidationFailed
from storefront.extensions import db
from storefront.orders.models import STATUS_CANCELLED, STATUS_PENDING_PAYMENT, Order
from storefront.orders.placement import ShippingAddress
from storefront.orders.workflow import set_status

ORDER_NOT_FOUND = "We could not find that order."


def customer_orders_query(user_id: int):
    """Return the select for a customer's orders, newest first."""
    return (
        select(Order)
        .where(Order.user_id == user_id)
        .options(selectinload(Order.lines))
        .order_by(Order.created_at.desc(), Order.id.desc())
    )


def customer_order(reference: str, user_id: int) -> Order:
    """Return the customer's order by its reference; anyone else's raises NotFound."""
    reference = (reference or "").strip().upper()[:16]
    order = db.session.execute(
        select(Order)
        .where(Order.reference == reference, Order.user_id == user_id)
        .options(selectinload(Order.lines), selectinload(Order.events))
    ).scalar_one_or_none()
    if order is None:
        raise NotFound(ORDER_NOT_FOUND)
    return order


def can_cancel(order: Order) -> bool:
    """Return True while the customer may still cancel the order themselves."""
    return order.status == STATUS_PENDING_PAYMENT


@transactional
def cancel_order(reference: str, user_id: int) -> Order:
    """Cancel the customer's own order while it awaits payment; its stock goes back."""
    order = customer_order(reference, user_id)
    if not can_cancel(order):
        raise InvalidTransition(
            f"This order is {order.status_label.lower()} and can no longer be cancelled. "
            "Please contact us if you need help."
        )
    set_status(order, STATUS_CANCELLED, user_id, "Cancelled by the customer")
    return order


def saved_addresses(user_id: int) -> list[Address]:
    """Return the customer's saved addresses, newest first."""
    statement = select(Address).where(Address.user_id == user_id).order_by(Address.id.desc())
    return list(db.session.scalars(statement))


def saved_address(user_id: int, address_id: int) -> ShippingAddress:
    """Return one of the customer's saved addresses, or raise ValidationFailed."""
    address = db.session.get(Address, address_id)
    if address is None or address.user_id != user_id:
        raise ValidationFailed(
            "Choose one of your addresses or enter a new one.", field="address_choice"
        )
    return ShippingAddress(
        address.full_name,
        address.street,
        address.city,
        address.postal_code,
        address.country,
        address.phone,
    )
