"""Cart rules: whole quantities within stock and the cart maximum, flags for what changed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.cart.models import Cart, CartLine
from storefront.cart.owners import CartOwner
from storefront.cart.services import (
    accept_cart_changes,
    add_to_cart,
    cart_summary,
    empty_cart,
    remove_line,
    set_line_quantity,
)
from storefront.catalog.models import Product, Variant
from storefront.errors import NotFound, ValidationFailed


def _lines(db) -> list[tuple[int, int]]:
    db.session.rollback()
    return [
        (line.variant_id, line.quantity)
        for line in db.session.scalars(select(CartLine).order_by(CartLine.id))
    ]


def test_a_guest_cart_is_created_on_the_first_add_with_a_random_token(db, make):
    variant_id = make.product(sizes={"42": 5}).variants[0].id

    added = add_to_cart(CartOwner.guest(None), variant_id, 2)

    assert added.guest_token and len(added.guest_token) >= 32
    assert added.line_quantity == 2
    summary = cart_summary(CartOwner.guest(added.guest_token))
    assert [(line.variant_id, line.quantity) for line in summary.lines] == [(variant_id, 2)]


def test_a_browsing_guest_has_no_cart_row(db, make):
    make.product(sizes={"42": 5})
    assert cart_summary(CartOwner.guest(None)).is_empty
    assert db.session.scalar(select(func.count(Cart.id))) == 0


def test_adding_the_same_item_again_adds_to_the_line(db, make):
    user_id = make.user().id
    variant_id = make.product(sizes={"42": 5}).variants[0].id
    add_to_cart(CartOwner.user(user_id), variant_id, 2)
    add_to_cart(CartOwner.user(user_id), variant_id, 3)
    assert _lines(db) == [(variant_id, 5)]


@pytest.mark.parametrize("quantity", [-1, 0, 100, 10**12, 1.5, "3", True])
def test_cannot_add_a_quantity_that_is_not_a_whole_number_from_1_to_99(db, make, quantity):
    user_id = make.user().id
    variant_id = make.product(sizes={"42": 500}).variants[0].id
    with pytest.raises(ValidationFailed):
        add_to_cart(CartOwner.user(user_id), variant_id, quantity)
    assert _lines(db) == []


def test_cannot_add_more_than_the_stock_even_across_two_adds(db, make):
    user_id = make.user().id
    variant_id = make.product(sizes={"42": 3}).variants[0].id
    add_to_cart(CartOwner.user(user_id), variant_id, 2)
    with pytest.raises(ValidationFailed) as refused:
        add_to_cart(CartOwner.user(user_id), variant_id, 2)
    assert "Only 3" in refused.value.message
    assert _lines(db) == [(variant_id, 2)]


def test_cannot_add_an_archived_product_or_an_unknown_variant(db, make):
    user_id = make.user().id
    archived = make.product(sizes={"42": 3}, is_active=False).variants[0].id
    for variant_id in (archived, 999_999):
        with pytest.raises(NotFound):
            add_to_cart(CartOwner.user(user_id), variant_id, 1)


def test_changing_and_removing_lines_only_touches_the_owners_cart(db, make):
    mine, theirs = make.user().id, make.user().id
    variant_id = make.product(sizes={"42": 9}).variants[0].id
    add_to_cart(CartOwner.user(mine), variant_id, 1)
    add_to_cart(CartOwner.user(theirs), variant_id, 1)
    their_line = db.session.scalar(select(CartLine.id).join(Cart).where(Cart.user_id == theirs))

    with pytest.raises(NotFound):
        set_line_quantity(CartOwner.user(mine), their_line, 5)
    with pytest.raises(NotFound):
        remove_line(CartOwner.user(mine), their_line)
    with pytest.raises(ValidationFailed):
        set_line_quantity(CartOwner.user(theirs), their_line, 0)
    set_line_quantity(CartOwner.user(theirs), their_line, 4)
    assert sorted(_lines(db)) == [(variant_id, 1), (variant_id, 4)]

    remove_line(CartOwner.user(theirs), their_line)
    empty_cart(CartOwner.user(mine))
    assert _lines(db) == []


def test_the_cart_flags_sold_out_short_repriced_and_archived_lines(db, make):
    owner = CartOwner.user(make.user().id)
    sold_out = make.product(sizes={"40": 2})
    short = make.product(sizes={"41": 5})
    repriced = make.product(price_cents=5000, sizes={"42": 5})
    archived = make.product(sizes={"43": 5})
    for product, quantity in ((sold_out, 1), (short, 4), (repriced, 1), (archived, 1)):
        add_to_cart(owner, product.variants[0].id, quantity)
    db.session.execute(
        Variant.__table__.update().where(Variant.id == sold_out.variants[0].id).values(stock=0)
    )
    db.session.execute(
        Variant.__table__.update().where(Variant.id == short.variants[0].id).values(stock=2)
    )
    db.session.get(Product, repriced.id).base_price_cents = 4500
    db.session.get(Product, archived.id).is_active = False
    db.session.commit()

    summary = cart_summary(owner)

    assert summary.has_issues
    assert [sorted(line.issues) for line in summary.lines] == [
        ["sold_out"],
        ["short"],
        ["price_changed"],
        ["archived"],
    ]
    assert "Only 2 left" in summary.lines[1].issues["short"]
    assert summary.lines[2].unit_price_cents == 4500  # the cart shows today's price

    notes = accept_cart_changes(owner)

    assert len(notes) == 4
    after = cart_summary(owner)
    assert not after.has_issues
    assert [(line.variant_id, line.quantity) for line in after.lines] == [
        (short.variants[0].id, 2),
        (repriced.variants[0].id, 1),
    ]


def test_the_summary_adds_up_in_cents_with_shipping_free_above_the_threshold(db, make):
    owner = CartOwner.user(make.user().id)
    shoe = make.product(price_cents=4999, sizes={"42": 5})
    add_to_cart(owner, shoe.variants[0].id, 1)
    small = cart_summary(owner)
    assert (small.subtotal_cents, small.shipping_cents, small.total_cents) == (4999, 499, 5498)

    add_to_cart(owner, shoe.variants[0].id, 2)
    large = cart_summary(owner)
    assert (large.subtotal_cents, large.shipping_cents, large.total_cents) == (14997, 0, 14997)
