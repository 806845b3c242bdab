"""Abandoned guest carts are removed after a while; users' carts and recent ones stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.cart.cleanup import remove_abandoned_guest_carts
from storefront.cart.models import Cart, CartLine
from storefront.models_base import utcnow


def _cart(db, variant_id, *, age_days, line_age_days=None, user=None, token=None):
    then = utcnow() - timedelta(days=age_days)
    cart = Cart(user_id=user.id if user else None, token=token, created_at=then, updated_at=then)
    db.session.add(cart)
    db.session.flush()
    if line_age_days is not None:
        added = utcnow() - timedelta(days=line_age_days)
        db.session.add(
            CartLine(
                cart_id=cart.id,
                variant_id=variant_id,
                quantity=1,
                unit_price_cents_seen=1000,
                added_at=added,
            )
        )
    db.session.commit()
    return cart.id


@pytest.fixture
def carts(db, make):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    return {
        "abandoned": _cart(db, variant_id, age_days=40, line_age_days=35, token="a" * 40),
        "abandoned empty": _cart(db, variant_id, age_days=31, token="b" * 40),
        "old but added to lately": _cart(
            db, variant_id, age_days=40, line_age_days=2, token="c" * 40
        ),
        "new": _cart(db, variant_id, age_days=1, line_age_days=1, token="d" * 40),
        "a user's old cart": _cart(db, variant_id, age_days=90, line_age_days=90, user=make.user()),
    }


def _left(db) -> tuple[set[int], set[int]]:
    db.session.rollback()
    carts = set(db.session.scalars(select(Cart.id)))
    lines = set(db.session.scalars(select(CartLine.cart_id)))
    return carts, lines


def test_guest_carts_untouched_for_30_days_go_with_their_lines_and_the_rest_stay(db, carts):
    assert remove_abandoned_guest_carts(timedelta(days=30)) == 2

    kept, kept_lines = _left(db)
    assert kept == {
        carts["old but added to lately"],
        carts["new"],
        carts["a user's old cart"],
    }
    assert carts["abandoned"] not in kept_lines
    assert remove_abandoned_guest_carts(timedelta(days=30)) == 0


def test_a_backlog_larger_than_a_batch_is_removed_in_several_transactions(db, make, monkeypatch):
    from storefront.cart import cleanup

    monkeypatch.setattr(cleanup, "BATCH", 2)
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    for number in range(5):
        _cart(db, variant_id, age_days=60, line_age_days=60, token=f"{number:040d}")

    assert remove_abandoned_guest_carts(timedelta(days=30)) == 5
    assert _left(db) == (set(), set())


def test_the_command_says_how_many_it_removed_and_refuses_zero_days(runner, db, carts):
    result = runner.invoke(args=["remove-abandoned-carts", "--days", "30"])

    assert result.exit_code == 0, result.output
    assert "Removed 2 guest carts untouched for 30 days." in result.output
    refused = runner.invoke(args=["remove-abandoned-carts", "--days", "0"])
    assert refused.exit_code != 0 and "0 is not in the range x>=1" in refused.output
    assert len(_left(db)[0]) == 3
