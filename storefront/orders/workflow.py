"""The order status workflow: an allowed-transitions table and one set_status()."""

from __future__ import annotations

from sqlalchemy import update

from storefront.audit import record_audit
from storefront.database import transactional
from storefront.errors import InvalidTransition, NotFound
from storefront.extensions import db
from storefront.inventory.services import return_stock_for_order
from storefront.orders.models import (
    STATUS_CANCELLED,
    STATUS_DELIVERED,
    STATUS_LABELS,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    STATUS_SHIPPED,
    Order,
    OrderEvent,
)

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    STATUS_PENDING_PAYMENT: frozenset({STATUS_PAID, STATUS_CANCELLED}),
    STATUS_PAID: frozenset({STATUS_SHIPPED, STATUS_CANCELLED}),
    STATUS_SHIPPED: frozenset({STATUS_DELIVERED}),
    STATUS_DELIVERED: frozenset(),
    STATUS_CANCELLED: frozenset(),
}


def allowed_next_statuses(status: str) -> list[str]:
    """Return the statuses an order in `status` may move to, in workflow order."""
    order = list(STATUS_LABELS)
    return sorted(ALLOWED_TRANSITIONS.get(status, frozenset()), key=order.index)


def set_status(order: Order, new_status: str, actor_id: int | None, note: str = "") -> None:
    """Move `order` to `new_status` (caller's transaction), or raise InvalidTransition.

    The change is a conditional update on the old status, so two people acting at once
    cannot both cancel (and return stock twice).
    """
    old_status = order.status
    if new_status not in ALLOWED_TRANSITIONS.get(old_status, frozenset()):
        raise InvalidTransition(
            f"An order that is {STATUS_LABELS.get(old_status, old_status).lower()} cannot be "
            f"marked {STATUS_LABELS.get(new_status, new_status).lower()}.",
            order_reference=order.reference,
        )
    result = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == old_status)
        .values(status=new_status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise InvalidTransition(
            "This order was changed by someone else meanwhile. Please reload and try again.",
            order_reference=order.reference,
        )
    if new_status == STATUS_CANCELLED:
        return_stock_for_order(
            [(line.variant_id, line.quantity) for line in order.lines if line.variant_id],
            order.id,
            actor_id,
        )
    db.session.add(
        OrderEvent(
            order_id=order.id,
            from_status=old_status,
            to_status=new_status,
            actor_id=actor_id,
            note=note,
        )
    )
    db.session.refresh(order)


@transactional
def change_order_status(actor, order_id: int, new_status: str, note: str = "") -> Order:
    """Move an order along the workflow for the back office, audited; cancelling restocks."""
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound("That order does not exist.")
    old_status = order.status
    set_status(order, new_status, actor.id, (note or "").strip())
    record_audit(
        actor,
        "order.status",
        "order",
        order.reference,
        f"{STATUS_LABELS.get(old_status, old_status)} → {order.status_label}",
    )
    return order
