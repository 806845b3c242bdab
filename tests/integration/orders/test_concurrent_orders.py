"""Many buyers at the same moment: stock is never sold twice and no order is half-placed."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from storefront.catalog.models import Variant
from storefront.inventory.models import StockMovement
from storefront.orders.models import Order
from storefront.orders.placement import new_checkout_token, place_order

from .conftest import ADDRESS
from .invariants import assert_books_balance


def _outcomes(results) -> dict[str, list]:
    grouped: dict[str, list] = {"placed": [], "short": [], "error": []}
    for kind, detail in results:
        grouped[kind].append(detail)
    return grouped


def _stock(db, variant_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(Variant.stock).where(Variant.id == variant_id))


def test_forty_buyers_for_five_pairs_give_exactly_five_orders(db, make, buyer, run_at_once):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    buyers = [buyer({variant_id: 1}) for _ in range(40)]

    started = time.monotonic()
    results = run_at_once(
        40,
        lambda i: place_order(buyers[i], new_checkout_token(), ADDRESS, "standard", "cod"),
    )
    elapsed = time.monotonic() - started
    print(f"placing 40 orders at once took {elapsed:.2f}s")

    outcome = _outcomes(results)
    assert outcome["error"] == []
    assert len(outcome["placed"]) == 5
    assert len(outcome["short"]) == 35
    for error in outcome["short"]:
        assert error.code == "insufficient_stock"
        assert error.items[0]["variant_id"] == variant_id
        assert error.items[0]["available"] == 0
    assert _stock(db, variant_id) == 0
    assert db.session.scalar(select(func.count(Order.id))) == 5
    assert_books_balance(db, {variant_id: 5})
    assert elapsed < 30


def test_buyers_with_crossed_carts_get_whole_orders_or_none(db, make, buyer, run_at_once):
    first = make.product(sizes={"41": 7}).variants[0].id
    second = make.product(sizes={"43": 12}).variants[0].id
    # Half add A then B, half B then A: the carts list the variants in opposite orders.
    buyers = [buyer({first: 1, second: 1} if i % 2 else {second: 1, first: 1}) for i in range(20)]

    results = run_at_once(
        20,
        lambda i: place_order(buyers[i], new_checkout_token(), ADDRESS, "express", "bank_transfer"),
    )

    outcome = _outcomes(results)
    assert outcome["error"] == []  # no deadlock or lock timeout reached a buyer
    assert len(outcome["placed"]) == 7
    assert len(outcome["short"]) == 13
    assert _stock(db, first) == 0
    assert _stock(db, second) == 5
    for order in db.session.scalars(select(Order)):
        assert sorted(line.variant_id for line in order.lines) == sorted([first, second])
    assert_books_balance(db, {first: 7, second: 12})


def test_one_checkout_submitted_ten_times_at_once_places_one_order(db, make, buyer, run_at_once):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    customer = buyer({variant_id: 2})
    token = new_checkout_token()

    results = run_at_once(10, lambda i: place_order(customer, token, ADDRESS, "standard", "cod"))

    outcome = _outcomes(results)
    assert outcome["error"] == []
    assert outcome["short"] == []
    assert len(set(outcome["placed"])) == 1  # every submit lands on the same order
    db.session.rollback()
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert _stock(db, variant_id) == 3
    taken = db.session.scalar(
        select(func.count(StockMovement.id)).where(StockMovement.reason == "order")
    )
    assert taken == 1
    assert_books_balance(db, {variant_id: 5})
