"""Placing an order: one transaction that copies what was bought, or writes nothing at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Address
from storefront.cart.models import CartLine
from storefront.cart.owners import CartOwner
from storefront.cart.services import add_to_cart
from storefront.catalog.models import Product, Variant
from storefront.errors import Conflict, InsufficientStock, ValidationFailed
from storefront.inventory.models import StockMovement
from storefront.orders.models import Order
from storefront.orders.placement import new_checkout_token, place_order
from storefront.orders.services import cancel_order

from .conftest import ADDRESS
from .invariants import assert_books_balance


def _count(db, model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_order_copies_name_sku_price_and_quantity_and_empties_the_cart(db, make, buyer):
    shoe = make.product(name="Trail Runner", price_cents=8950, sizes={"42": 5, "43": 5})
    size_42 = shoe.variants[0]
    sku = size_42.sku
    customer = buyer({size_42.id: 2})

    order = place_order(customer, new_checkout_token(), ADDRESS, "standard", "bank_transfer")

    assert len(order.reference) == 10
    assert order.status == "pending_payment"
    [line] = order.lines
    assert (line.product_name, line.sku, line.variant_label) == ("Trail Runner", sku, "42")
    assert (line.unit_price_cents, line.quantity, line.line_total_cents) == (8950, 2, 17900)
    assert order.subtotal_cents == 17900
    assert order.shipping_cents == 0  # standard shipping is free above €100
    assert order.total_cents == 17900
    assert (order.ship_name, order.ship_city) == ("Ada Customer", "Leeds")
    assert [(e.from_status, e.to_status) for e in order.events] == [(None, "pending_payment")]
    assert _count(db, CartLine) == 0
    assert_books_balance(db, {size_42.id: 5, shoe.variants[1].id: 5})


def test_prices_come_from_the_database_at_the_moment_of_the_order(db, make, buyer):
    shoe = make.product(price_cents=3000, sizes={"42": 5})
    customer = buyer({shoe.variants[0].id: 1})

    order = place_order(customer, new_checkout_token(), ADDRESS, "express", "cod")

    assert order.subtotal_cents == 3000
    assert order.shipping_cents == 999
    assert order.total_cents == 3999


def test_cannot_place_an_order_when_a_line_is_short_and_nothing_is_written(db, make, buyer):
    plenty = make.product(sizes={"42": 9}).variants[0].id
    scarce = make.product(sizes={"40": 3}).variants[0].id
    customer = buyer({plenty: 2, scarce: 3})
    db.session.execute(
        Variant.__table__.update().where(Variant.id == scarce).values(stock=1)
    )  # someone else bought two meanwhile (bypassing the ledger only for this setup)
    db.session.commit()

    with pytest.raises(InsufficientStock) as refused:
        place_order(customer, new_checkout_token(), ADDRESS, "standard", "cod")

    assert refused.value.items == [
        {"variant_id": scarce, "sku": refused.value.items[0]["sku"], "requested": 3, "available": 1}
    ]
    assert _count(db, Order) == 0
    assert db.session.scalar(select(Variant.stock).where(Variant.id == plenty)) == 9
    assert (
        db.session.scalar(
            select(func.count(StockMovement.id)).where(StockMovement.reason == "order")
        )
        == 0
    )
    assert _count(db, CartLine) == 2  # the cart is untouched, so it can show what is short


def test_the_same_checkout_token_gives_back_the_same_order(db, make, buyer):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    customer = buyer({variant_id: 1})
    token = new_checkout_token()

    first = place_order(customer, token, ADDRESS, "standard", "cod").reference
    again = place_order(customer, token, ADDRESS, "express", "bank_transfer").reference

    assert first == again
    assert _count(db, Order) == 1


def test_another_customer_cannot_reuse_a_checkout_token(db, make, buyer):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    token = new_checkout_token()
    place_order(buyer({variant_id: 1}), token, ADDRESS, "standard", "cod")

    with pytest.raises(Conflict):
        place_order(buyer({variant_id: 1}), token, ADDRESS, "standard", "cod")


def test_cannot_place_an_order_for_an_empty_cart(db, make):
    customer = make.user().id
    with pytest.raises(ValidationFailed):
        place_order(customer, new_checkout_token(), ADDRESS, "standard", "cod")


def test_a_price_change_since_the_item_was_added_blocks_the_order(db, make, buyer):
    shoe = make.product(price_cents=5000, sizes={"42": 5})
    customer = buyer({shoe.variants[0].id: 1})
    db.session.get(Product, shoe.id).base_price_cents = 5500
    db.session.commit()

    with pytest.raises(Conflict):
        place_order(customer, new_checkout_token(), ADDRESS, "standard", "cod")
    assert _count(db, Order) == 0


def test_unknown_shipping_or_payment_methods_are_refused(db, make, buyer):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    customer = buyer({variant_id: 1})
    with pytest.raises(ValidationFailed) as shipping:
        place_order(customer, new_checkout_token(), ADDRESS, "teleport", "cod")
    with pytest.raises(ValidationFailed) as payment:
        place_order(customer, new_checkout_token(), ADDRESS, "standard", "bitcoin")
    assert (shipping.value.field, payment.value.field) == ("shipping_method", "payment_method")
    assert _count(db, Order) == 0


def test_saving_the_address_adds_it_once_to_the_address_book(db, make, buyer):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    customer = buyer({variant_id: 1})
    place_order(customer, new_checkout_token(), ADDRESS, "standard", "cod", save_address=True)
    add_to_cart(CartOwner.user(customer), variant_id, 1)
    place_order(customer, new_checkout_token(), ADDRESS, "standard", "cod", save_address=True)

    assert _count(db, Address) == 1


def test_cancelling_a_pending_order_returns_its_stock_with_a_movement(db, make, buyer):
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    customer = buyer({variant_id: 3})
    order = place_order(customer, new_checkout_token(), ADDRESS, "standard", "cod")

    cancelled = cancel_order(order.reference, customer)

    assert cancelled.status == "cancelled"
    assert db.session.scalar(select(Variant.stock).where(Variant.id == variant_id)) == 5
    returned = db.session.scalars(
        select(StockMovement).where(StockMovement.reason == "cancel")
    ).all()
    assert [(m.delta, m.order_id) for m in returned] == [(3, order.id)]
    assert_books_balance(db, {variant_id: 5})


def test_each_further_line_of_an_order_costs_at_most_its_stock_ledger_and_order_line_writes(
    db, make, buyer, count_queries
):
    shoes = [make.product(sizes={"42": 5}) for _ in range(3)]
    one_line = buyer({shoes[0].variants[0].id: 1})
    three_lines = buyer({shoe.variants[0].id: 1 for shoe in shoes})

    with count_queries() as one:
        place_order(one_line, new_checkout_token(), ADDRESS, "standard", "cod")
    with count_queries() as three:
        place_order(three_lines, new_checkout_token(), ADDRESS, "standard", "cod")

    # The user, the locked cart and its lines, the order, the stock, the ledger, the order's
    # line and event, the emptied cart, and the confirmation's outbox row, rendered from what
    # is loaded. MariaDB cannot return from an UPDATE: it reads each new stock level in one
    # more query.
    reread = 0 if db.engine.dialect.update_returning else 1
    assert one.count <= 10 + reread, "\n".join(s[:70] for s in one.statements)
    per_line = 3 + reread
    assert three.count <= one.count + 2 * per_line, "\n".join(s[:70] for s in three.statements)
