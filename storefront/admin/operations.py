"""Back-office stock and order actions: the inventory and workflow rules plus an audit entry."""

from __future__ import annotations

from sqlalchemy import select

from storefront.audit import record_audit
from storefront.database import transactional
from storefront.errors import NotFound, ValidationFailed
from storefront.extensions import db
from storefront.inventory.models import REASON_RECEIVE, REASON_WRITE_OFF
from storefront.inventory.services import change_stock, count_stock
from storefront.orders.models import STATUS_LABELS, Order
from storefront.orders.workflow import set_status


def _positive(quantity: int) -> int:
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationFailed("Enter a whole number above zero.", field="quantity")
    return quantity


def _reason(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("Say why the stock changes.", field="note")
    return note[:200]


def _sku(variant_id: int) -> str:
    from storefront.catalog.models import Variant

    sku = db.session.scalar(select(Variant.sku).where(Variant.id == variant_id))
    if sku is None:
        raise NotFound("That product option no longer exists.")
    return sku


@transactional
def receive_delivery(actor, variant_id: int, quantity: int, note: str) -> int:
    """Add delivered stock to a variant; return the new level."""
    quantity, note, sku = _positive(quantity), _reason(note), _sku(variant_id)
    level = change_stock(variant_id, quantity, REASON_RECEIVE, actor.id, note)
    record_audit(
        actor, "stock.receive", "variant", variant_id, f"{sku}: +{quantity} → {level}. {note}"
    )
    return level


@transactional
def record_stocktake(actor, variant_id: int, counted: int, note: str) -> int:
    """Set the level counted on the shelf; return it."""
    sku = _sku(variant_id)
    level = count_stock(variant_id, counted, actor.id, note)
    record_audit(actor, "stock.stocktake", "variant", variant_id, f"{sku}: counted {level}. {note}")
    return level


@transactional
def write_off(actor, variant_id: int, quantity: int, note: str) -> int:
    """Remove damaged or lost stock; return the new level."""
    quantity, note, sku = _positive(quantity), _reason(note), _sku(variant_id)
    level = change_stock(variant_id, -quantity, REASON_WRITE_OFF, actor.id, note)
    record_audit(
        actor, "stock.write_off", "variant", variant_id, f"{sku}: -{quantity} → {level}. {note}"
    )
    return level


@transactional
def change_order_status(actor, order_id: int, new_status: str, note: str = "") -> Order:
    """Move an order along the workflow, or refuse and change nothing; cancelling restocks."""
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
