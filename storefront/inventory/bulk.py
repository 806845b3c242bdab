"""Stock levels set for many variants at once (the CSV import): a few statements, not one per row.

The levels are read under row locks in variant-id order (on SQLite the writer already holds
the file's write lock), and each update is conditional on the level read, so nothing is
computed from a value another transaction could change. Every change writes its ledger row
in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from sqlalchemy import Table, bindparam, func, insert, select, update

from storefront.errors import Conflict, NotFound, ValidationFailed
from storefront.extensions import db
from storefront.inventory import events
from storefront.inventory.models import StockMovement
from storefront.models_base import utcnow

# Ids per IN list: well under every database's limit on bound parameters.
CHUNK = 500
# The stock column is a 32-bit integer on every database.
MAX_STOCK = 2**31 - 1


def _variants() -> Table:
    # The catalogue owns the variants table; inventory writes only its stock column.
    return db.metadata.tables["variants"]


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _locked_levels(ids: Sequence[int]) -> dict[int, tuple]:
    variants = _variants()
    found: dict[int, tuple] = {}
    for chunk in _chunks(ids):
        rows = db.session.execute(
            select(variants.c.id, variants.c.sku, variants.c.stock, variants.c.product_id)
            .where(variants.c.id.in_(chunk))
            .order_by(variants.c.id)
            .with_for_update()
        )
        found.update({row.id: (row.sku, row.stock, row.product_id) for row in rows})
    return found


def _badge_thresholds(product_ids: set[int]) -> dict[int, int]:
    variants = _variants()
    thresholds: dict[int, int] = {}
    for chunk in _chunks(sorted(product_ids)):
        rows = db.session.execute(
            select(variants.c.product_id, func.max(variants.c.low_stock_threshold))
            .where(variants.c.product_id.in_(chunk))
            .group_by(variants.c.product_id)
        )
        thresholds.update((product_id, highest) for product_id, highest in rows)
    return thresholds


def set_stock_levels(
    levels: Mapping[int, int], reason: str, actor_id: int | None = None, note: str = ""
) -> int:
    """Set each variant's stock to its level and write the ledger; return how many changed.

    Runs in the caller's transaction. Raises NotFound for an unknown variant and
    ValidationFailed for a level that is not a whole number from 0 to MAX_STOCK.
    """
    for level in levels.values():
        if not isinstance(level, int) or not 0 <= level <= MAX_STOCK:
            raise ValidationFailed(
                f"A stock level must be a whole number from 0 to {MAX_STOCK}.", field="stock"
            )
    ids = sorted(levels)
    current = _locked_levels(ids)
    if len(current) != len(ids):
        raise NotFound("A product option in the list no longer exists.")
    changes = [
        (variant_id, *current[variant_id], levels[variant_id])
        for variant_id in ids
        if levels[variant_id] != current[variant_id][1]
    ]
    if not changes:
        return 0
    variants = _variants()
    updated = db.session.execute(
        update(variants)
        .where(variants.c.id == bindparam("b_id"), variants.c.stock == bindparam("b_before"))
        .values(stock=bindparam("b_after")),
        [
            {"b_id": variant_id, "b_before": before, "b_after": after}
            for variant_id, _sku, before, _product, after in changes
        ],
    )
    if updated.rowcount != len(changes):
        raise Conflict("Stock changed while the list was applied; nothing was changed.")
    now, note = utcnow(), (note or "")[:200]
    db.session.execute(
        insert(StockMovement.__table__),
        [
            {
                "variant_id": variant_id,
                "sku": sku,
                "delta": after - before,
                "stock_after": after,
                "reason": reason,
                "note": note,
                "actor_id": actor_id,
                "order_id": None,
                "created_at": now,
            }
            for variant_id, sku, before, _product, after in changes
        ],
    )
    thresholds = _badge_thresholds({product_id for *_, product_id, _after in changes})
    for variant_id, _sku, before, product_id, after in changes:
        events.stock_changed(variant_id, before, after, thresholds.get(product_id))
    return len(changes)
