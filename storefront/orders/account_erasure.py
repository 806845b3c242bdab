"""What a deleted account leaves in the orders: closed orders anonymised, open ones refuse.

An order that is still open (awaiting payment, paid, or on its way) needs the customer's name
and address to be fulfilled, which GDPR allows the shop to keep. Rather than keep personal
data after the account is gone, deletion is refused until every order is closed: delivered
or cancelled. The customer is told which orders are open and what to do about each.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import literal, select, update

from storefront.accounts.deletion import account_erasing
from storefront.errors import Conflict
from storefront.extensions import db
from storefront.orders.models import (
    STATUS_LABELS,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    STATUS_SHIPPED,
    Order,
)

DELETED_NAME = "Deleted customer"
OPEN_STATUSES = (STATUS_PENDING_PAYMENT, STATUS_PAID, STATUS_SHIPPED)


class OpenOrders(Conflict):
    """The account still has orders that need its name and address to be fulfilled."""

    code = "open_orders"
    field = "delete_password"

    def __init__(self, orders: list[tuple[str, str]]) -> None:
        listed = ", ".join(f"{reference} ({STATUS_LABELS[status]})" for reference, status in orders)
        super().__init__(
            f"Your account still has open orders: {listed}. Cancel an order awaiting payment "
            "from its page in My orders; a paid order can be cancelled by contacting us, and "
            "one on its way closes once it is delivered. Then you can delete your account.",
            orders=[reference for reference, _ in orders],
        )


def refuse_open_orders_or_anonymise(sender: Flask, user_id: int, **extra) -> None:
    """Refuse the deletion if an order is open; otherwise detach and anonymise every order."""
    open_orders = db.session.execute(
        select(Order.reference, Order.status)
        .where(Order.user_id == user_id, Order.status.in_(OPEN_STATUSES))
        .order_by(Order.id)
        .with_for_update()
    ).all()
    if open_orders:
        raise OpenOrders([tuple(row) for row in open_orders])
    # Amounts, lines and the country stay for the books; who and where go.
    db.session.execute(
        update(Order)
        .where(Order.user_id == user_id)
        .values(
            user_id=None,
            customer_name=DELETED_NAME,
            customer_email=literal("deleted-") + Order.reference + literal("@invalid"),
            ship_name=DELETED_NAME,
            ship_street="",
            ship_city="",
            ship_postal_code="",
            ship_phone="",
        )
        .execution_options(synchronize_session=False)
    )


def connect_account_erasure(app: Flask) -> None:
    """Have this app's account deletions pass through the orders' rule."""
    account_erasing.connect(refuse_open_orders_or_anonymise, app)
