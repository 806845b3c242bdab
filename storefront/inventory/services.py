"""The only code that changes stock: conditional updates, each written to the ledger.

Functions without `@transactional` run inside the caller's transaction (placing or cancelling
an order); the others are whole use cases for the back office.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import bindparam, func, insert, literal_column, select, update
from sqlalchemy.orm import aliased

from storefront.database import transactional
from storefront.errors import InsufficientStock, NotFound, ValidationFailed
from storefront.extensions import db
from storefront.inventory import events
from storefront.inventory.models import (
    REASON_CANCEL,
    REASON_ORDER,
    REASON_RECEIVE,
    REASON_STOCKTAKE,
    REASON_WRITE_OFF,
    StockMovement,
)
from storefront.models_base import utcnow


def _variant_model():
    from storefront.catalog.models import Variant

    return Variant


def _record(
    variant_id: int,
    sku: str,
    delta: int,
    reason: str,
    actor_id,
    note,
    order_id,
    stock_after=None,
    badge_threshold=None,
) -> int:
    """Write the ledger row for a change just made; return the level after it."""
    variant = _variant_model()
    if stock_after is None:
        stock_after = db.session.execute(
            select(variant.stock).where(variant.id == variant_id)
        ).scalar_one()
    # A plain INSERT: nothing in the transaction reads the movement back.
    db.session.execute(
        insert(StockMovement.__table__).values(
            variant_id=variant_id,
            sku=sku,
            delta=delta,
            stock_after=stock_after,
            reason=reason,
            note=(note or "")[:200],
            actor_id=actor_id,
            order_id=order_id,
            created_at=utcnow(),
        )
    )
    events.stock_changed(
        variant_id,
        before=stock_after - delta,
        after=stock_after,
        badge_threshold=badge_threshold,
    )
    return stock_after


@functools.cache
def _take_statements() -> tuple:
    """The conditional UPDATE of :variant_id's stock by :quantity, and what it reads back.

    Read back: the SKU, the stock after the change and the product's highest low-stock
    threshold (for the page cache, see `events.stock_changed`). Built once per process.
    """
    variant = _variant_model()
    siblings = aliased(variant)
    # Named in full: SQLite writes RETURNING columns without their table, which would turn a
    # correlated `variants.product_id` into the subquery's own column (and a scan of them all).
    updated_product = literal_column(f"{variant.__tablename__}.product_id")
    badge_threshold = (
        select(func.max(siblings.low_stock_threshold))
        .where(siblings.product_id == updated_product)
        .scalar_subquery()
    )
    take = (
        update(variant)
        .where(variant.id == bindparam("variant_id"), variant.stock >= bindparam("quantity"))
        .values(stock=variant.stock - bindparam("quantity"))
        .execution_options(synchronize_session=False)
    )
    read = (variant.sku, variant.stock, badge_threshold)
    return take, take.returning(*read), select(*read).where(variant.id == bindparam("variant_id"))


def _take(variant_id: int, quantity: int) -> tuple[str, int, int | None] | None:
    """Take `quantity` if that many are in stock (one conditional UPDATE); else return None.

    Returns the SKU, the stock after the change and the product's highest low-stock threshold,
    read by the UPDATE itself where the database can (RETURNING on PostgreSQL and SQLite),
    else by one more query.
    """
    take, take_and_read, read = _take_statements()
    values = {"variant_id": variant_id, "quantity": quantity}
    if db.session.get_bind().dialect.update_returning:
        row = db.session.execute(take_and_read, values).first()
        return tuple(row) if row is not None else None
    if db.session.execute(take, values).rowcount != 1:
        return None
    return tuple(db.session.execute(read, {"variant_id": variant_id}).one())


def _sku_of(variant_id: int) -> str:
    variant = _variant_model()
    sku = db.session.execute(select(variant.sku).where(variant.id == variant_id)).scalar()
    if sku is None:
        raise NotFound("That product option no longer exists.")
    return sku


def change_stock(
    variant_id: int,
    delta: int,
    reason: str,
    actor_id: int | None = None,
    note: str = "",
    order_id: int | None = None,
) -> int:
    """Add `delta` to a variant's stock if it stays >= 0; write the movement; return the level.

    Runs in the caller's transaction. Raises InsufficientStock when the stock is too low.
    """
    variant = _variant_model()
    if delta == 0:
        raise ValidationFailed("The quantity must not be zero.", field="quantity")
    sku = _sku_of(variant_id)
    statement = update(variant).where(variant.id == variant_id)
    if delta < 0:
        statement = statement.where(variant.stock >= -delta)
    result = db.session.execute(
        statement.values(stock=variant.stock + delta).execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        available = db.session.execute(
            select(variant.stock).where(variant.id == variant_id)
        ).scalar_one()
        raise InsufficientStock(
            [{"variant_id": variant_id, "sku": sku, "requested": -delta, "available": available}],
            f"Only {available} of {sku} in stock.",
            field="quantity",
        )
    return _record(variant_id, sku, delta, reason, actor_id, note, order_id)


def take_stock_for_order(
    quantities: dict[int, int], order_id: int, actor_id: int | None = None
) -> None:
    """Take each variant's quantity for an order, in variant-id order, all or nothing.

    Every line is checked so that the error can list all that are short; once one is short
    the rest are only read, not updated, and the caller's transaction rolls back whatever
    was taken before the error is raised.
    """
    variant = _variant_model()
    short: list[dict] = []
    for variant_id in sorted(quantities):
        quantity = _positive(quantities[variant_id])
        update_failed = False
        if not short:
            taken = _take(variant_id, quantity)
            if taken is not None:
                sku, stock_after, threshold = taken
                _record(
                    variant_id,
                    sku,
                    -quantity,
                    REASON_ORDER,
                    actor_id,
                    "",
                    order_id,
                    stock_after,
                    threshold,
                )
                continue
            update_failed = True
        row = db.session.execute(
            select(variant.sku, variant.stock).where(variant.id == variant_id)
        ).first()
        if not update_failed and row is not None and row.stock >= quantity:
            continue  # enough of this one; another line already sank the order
        short.append(
            {
                "variant_id": variant_id,
                "sku": row.sku if row else "",
                "requested": quantity,
                "available": row.stock if row else 0,
            }
        )
    if short:
        raise InsufficientStock(short, "Some items are no longer available in that quantity.")


def return_stock_for_order(
    quantities: Iterable[tuple[int, int]], order_id: int, actor_id: int | None
) -> None:
    """Put the quantities of a cancelled order back on the shelf (caller's transaction)."""
    for variant_id, quantity in sorted(quantities):
        if db.session.get(_variant_model(), variant_id) is None:
            continue  # the variant was deleted since; nothing to return it to
        change_stock(variant_id, quantity, REASON_CANCEL, actor_id, "Order cancelled", order_id)


def _positive(quantity: int) -> int:
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationFailed("Enter a whole number above zero.", field="quantity")
    return quantity


def _reason_text(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("Say why the stock changes.", field="note")
    return note


@transactional
def receive_stock(variant_id: int, quantity: int, actor_id: int | None, note: str) -> int:
    """Add delivered stock to a variant; return the new level."""
    return change_stock(
        variant_id, _positive(quantity), REASON_RECEIVE, actor_id, _reason_text(note)
    )


@transactional
def write_off_stock(variant_id: int, quantity: int, actor_id: int | None, note: str) -> int:
    """Remove damaged or lost stock; return the new level."""
    return change_stock(
        variant_id, -_positive(quantity), REASON_WRITE_OFF, actor_id, _reason_text(note)
    )


def count_stock(variant_id: int, counted: int, actor_id: int | None, note: str) -> int:
    """Set the level found by a stocktake (caller's transaction); return it."""
    variant = _variant_model()
    if not isinstance(counted, int) or counted < 0:
        raise ValidationFailed("Enter the counted quantity, zero or more.", field="quantity")
    note = _reason_text(note)
    current = db.session.execute(
        select(variant.stock).where(variant.id == variant_id).with_for_update()
    ).scalar()
    if current is None:
        raise NotFound("That product option no longer exists.")
    delta = counted - current
    if delta == 0:
        return counted
    db.session.execute(
        update(variant)
        .where(variant.id == variant_id, variant.stock == current)
        .values(stock=counted)
        .execution_options(synchronize_session=False)
    )
    return _record(variant_id, _sku_of(variant_id), delta, REASON_STOCKTAKE, actor_id, note, None)


@transactional
def take_stocktake(variant_id: int, counted: int, actor_id: int | None, note: str) -> int:
    """Record a counted stock level as one use case; return it."""
    return count_stock(variant_id, counted, actor_id, note)
