"""Order status changes from the back office follow the workflow and leave a timeline."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.audit import AuditEntry
from storefront.catalog.models import Variant
from storefront.errors import InvalidTransition
from storefront.inventory.models import StockMovement
from storefront.orders.models import Order, OrderEvent
from storefront.orders.workflow import change_order_status


def state_of(db, order_id):
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    return (
        order.status,
        order.updated_at,
        db.session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.order_id == order_id)),
        db.session.scalar(select(func.count(StockMovement.id))),
        db.session.scalar(select(func.count(AuditEntry.id))),
    )


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "shipped"),
        ([], "delivered"),
        (["paid", "shipped"], "cancelled"),
        (["cancelled"], "paid"),
        (["paid", "shipped", "delivered"], "pending_payment"),
        ([], "no-such-status"),
    ],
)
def test_refused_transition_leaves_the_order_as_it_was(
    db, make, admin_user, place_order, path, refused
):
    variant = make.product(sizes={"42": 5}).variants[0]
    order = place_order({variant: 2})
    for status in path:
        change_order_status(admin_user, order.id, status)
    before = state_of(db, order.id)

    with pytest.raises(InvalidTransition) as error:
        change_order_status(admin_user, order.id, refused)

    assert "cannot be marked" in error.value.message
    assert state_of(db, order.id) == before


def test_each_change_is_on_the_timeline_with_who_and_when(db, make, admin_user, place_order):
    variant = make.product(sizes={"42": 5}).variants[0]
    order = place_order({variant: 1})
    change_order_status(admin_user, order.id, "paid", "Bank transfer arrived")
    change_order_status(admin_user, order.id, "shipped")
    db.session.expire_all()
    events = db.session.get(Order, order.id).events
    assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("pending_payment", "paid", admin_user.id),
        ("paid", "shipped", admin_user.id),
    ]
    assert events[0].note == "Bank transfer arrived" and events[0].created_at is not None


def test_cancelling_a_pending_order_returns_its_stock(db, make, admin_user, place_order):
    variant = make.product(sizes={"42": 5}).variants[0]
    order = place_order({variant: 3})
    change_order_status(admin_user, order.id, "cancelled")
    db.session.expire_all()
    assert db.session.get(Variant, variant.id).stock == 5
