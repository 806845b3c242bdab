"""Forgetting abandoned guest carts, so the cart tables do not grow with every passing visitor.

A guest cart belongs to whoever holds its token in a session cookie; once nobody has touched it
for a while, nobody will. Users' carts are kept: they belong to an account.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, exists, select

from storefront.cart.models import Cart, CartLine
from storefront.database import transactional
from storefront.extensions import db
from storefront.models_base import utcnow

BATCH = 500  # carts per transaction: a long backlog never holds locks for long


def remove_abandoned_guest_carts(untouched_for: timedelta) -> int:
    """Delete the guest carts nobody has added to within `untouched_for`; return how many.

    A cart counts as touched when it was created, its row updated or a line added to it since
    then (a change of quantity alone does not count). Runs in batches of BATCH carts, each its
    own transaction.
    """
    if untouched_for <= timedelta(0):
        raise ValueError("untouched_for must be positive")
    cutoff = utcnow() - untouched_for
    removed = 0
    while True:
        count = _remove_batch(cutoff)
        removed += count
        if count < BATCH:
            return removed


@transactional
def _remove_batch(cutoff) -> int:
    recent_line = exists().where(CartLine.cart_id == Cart.id, CartLine.added_at >= cutoff)
    stale = db.session.scalars(
        select(Cart.id)
        .where(
            Cart.user_id.is_(None),
            Cart.created_at < cutoff,
            Cart.updated_at < cutoff,
            ~recent_line,
        )
        .order_by(Cart.id)
        .limit(BATCH)
    ).all()
    if stale:
        # The ids are read first: MariaDB cannot delete from a table its own subquery reads.
        db.session.execute(delete(CartLine).where(CartLine.cart_id.in_(stale)))
        db.session.execute(delete(Cart).where(Cart.id.in_(stale)))
    return len(stale)
