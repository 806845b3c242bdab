"""The only code that changes stock: conditional updates, each written to the ledger.

Functions without `@transactional` run inside the caller's transaction (placing or cancelling
an order, adding or removing a product option); `receive_stock`, `write_off_stock` and
`take_stocktake` are the back office's whole use cases, each audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, literal_column, select, update
from sqlalchemy.orm import aliased

from storefront.audit import record_audit
from storefront.catalog.models import Variant
from storefront.database import transactional
from storefront.errors import InsufficientStock, NotFound, ValidationFailed
from storefront.extensions import db
from storefront.inventory import events
from storefront.inventory.models import (
    REASON_CANCEL,
    REASON_INITIAL,
    REASON_ORDER,
    REASON_RECEIVE,
    REASON_STOCKTAKE,
    REASON_WRITE_OFF,
    StockMovement,
)


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
    if stock_after is None:
        stock_after = db.session.execute(
            select(Variant.stock).where(Variant.id == variant_id)
        ).scalar_one()
    db.session.add(
        StockMovement(
            variant_id=variant_id,
            sku=sku,
            delta=delta,
            stock_after=stock_after,
            reason=reason,
            note=(note or "")[:200],
            actor_id=actor_id,
            order_id=order_id,
        )
    )
    events.stock_changed(
        variant_id,
        before=stock_after - delta,
        after=stock_after,
        badge_threshold=badge_threshold,
    )
    return stock_after


def _take(variant_id: int, quantity: int) -> tuple[str, int, int | None] | None:
    """Take `quantity` if that many are in stock (one conditional UPDATE); else return None.

    Returns the SKU, the stock after the change and the product's highest low-stock threshold
    (for the page cache, see `events.stock_changed`), read by the UPDATE itself where the
    database can (RETURNING on PostgreSQL and SQLite), else by one more query.
    """
    siblings = aliased(Variant)
    # Named in full: SQLite writes RETURNING columns without their table, which would turn a
    # correlated `variants.product_id` into the subquery's own column (and a scan of them all).
    updated_product = literal_column(f"{Variant.__tablename__}.product_id")
    badge_threshold = (
        select(func.max(siblings.low_stock_threshold))
        .where(siblings.product_id == updated_product)
        .scalar_subquery()
    )
    take = (
        update(Variant)
        .where(Variant.id == variant_id, Variant.stock >= quantity)
        .values(stock=Variant.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    read = (Variant.sku, Variant.stock, badge_threshold)
    if db.session.get_bind().dialect.update_returning:
        row = db.session.execute(take.returning(*read)).first()
        return tuple(row) if row is not None else None
    if db.session.execute(take).rowcount != 1:
        return None
    return tuple(db.session.execute(select(*read).where(Variant.id == variant_id)).one())


def _sku_of(variant_id: int) -> str:
    sku = db.session.execute(select(Variant.sku).where(Variant.id == variant_id)).scalar()
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
    if delta == 0:
        raise ValidationFailed("The quantity must not be zero.", field="quantity")
    sku = _sku_of(variant_id)
    statement = update(Variant).where(Variant.id == variant_id)
    if delta < 0:
        statement = statement.where(Variant.stock >= -delta)
    result = db.session.execute(
        statement.values(stock=Variant.stock + delta).execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        available = db.session.execute(
            select(Variant.stock).where(Variant.id == variant_id)
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
            select(Variant.sku, Variant.stock).where(Variant.id == variant_id)
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
        if db.session.get(Variant, variant_id) is None:
            continue  # the variant was deleted since; nothing to return it to
        change_stock(variant_id, quantity, REASON_CANCEL, actor_id, "Order cancelled", order_id)


def _positive(quantity: int) -> int:
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationFailed("Enter a whole number above zero.", field="quantity")
    return quantity


def _reason_text(note: str) -> str:
    note = (note or "").strip()[:200]
    if not note:
        raise ValidationFailed("Say why the stock changes.", field="note")
    return note


@transactional
def receive_stock(actor, variant_id: int, quantity: int, note: str) -> int:
    """Add delivered stock to a variant, with the reason; return the new level."""
    quantity, note, sku = _positive(quantity), _reason_text(note), _sku_of(variant_id)
    level = change_stock(variant_id, quantity, REASON_RECEIVE, _id_of(actor), note)
    summary = f"{sku}: +{quantity} → {level}. {note}"
    record_audit(actor, "stock.receive", "variant", variant_id, summary)
    return level


@transactional
def write_off_stock(actor, variant_id: int, quantity: int, note: str) -> int:
    """Remove damaged or lost stock, with the reason; return the new level."""
    quantity, note, sku = _positive(quantity), _reason_text(note), _sku_of(variant_id)
    level = change_stock(variant_id, -quantity, REASON_WRITE_OFF, _id_of(actor), note)
    summary = f"{sku}: -{quantity} → {level}. {note}"
    record_audit(actor, "stock.write_off", "variant", variant_id, summary)
    return level


def count_stock(variant_id: int, counted: int, actor_id: int | None, note: str) -> int:
    """Set the level found by a stocktake (caller's transaction); return it."""
    if not isinstance(counted, int) or counted < 0:
        raise ValidationFailed("Enter the counted quantity, zero or more.", field="quantity")
    note = _reason_text(note)
    current = db.session.execute(
        select(Variant.stock).where(Variant.id == variant_id).with_for_update()
    ).scalar()
    if current is None:
        raise NotFound("That product option no longer exists.")
    delta = counted - current
    if delta == 0:
        return counted
    db.session.execute(
        update(Variant)
        .where(Variant.id == variant_id, Variant.stock == current)
        .values(stock=counted)
        .execution_options(synchronize_session=False)
    )
    return _record(variant_id, _sku_of(variant_id), delta, REASON_STOCKTAKE, actor_id, note, None)


@transactional
def take_stocktake(actor, variant_id: int, counted: int, note: str) -> int:
    """Record the level counted on the shelf, with the reason; return it."""
    sku = _sku_of(variant_id)
    level = count_stock(variant_id, counted, _id_of(actor), note)
    summary = f"{sku}: counted {level}. {(note or '').strip()[:200]}"
    record_audit(actor, "stock.stocktake", "variant", variant_id, summary)
    return level


def stock_new_variant(actor, variant_id: int, quantity: int) -> int:
    """Put a new option's first stock on the shelf (caller's transaction); return the level."""
    if quantity < 0:
        raise ValidationFailed("Enter zero or more.", field="initial_stock")
    if quantity == 0:
        return 0
    return change_stock(variant_id, quantity, REASON_INITIAL, _id_of(actor), "New option")


def clear_stock_of_removed_variant(actor, variant_id: int) -> None:
    """Write off what is left of an option about to be removed, so the ledger shows it leave."""
    left = db.session.scalar(select(Variant.stock).where(Variant.id == variant_id))
    if left:
        change_stock(variant_id, -left, REASON_WRITE_OFF, _id_of(actor), "Option removed")


def _id_of(actor) -> int | None:
    return getattr(actor, "id", None)
