"""At login a guest cart merges into the user's: quantities add, capped by stock."""

from __future__ import annotations

from sqlalchemy import func, select

from storefront.cart.models import Cart
from storefront.cart.owners import CartOwner
from storefront.cart.services import add_to_cart, cart_summary, merge_guest_cart


def test_a_guest_cart_with_two_lines_merges_into_a_user_cart_with_one_capped_by_stock(db, make):
    shared = make.product(name="Road Racer", sizes={"42": 4}).variants[0].id
    other = make.product(name="Snow Boot", sizes={"44": 6}).variants[0].id
    user_id = make.user().id
    add_to_cart(CartOwner.user(user_id), shared, 3)
    guest = add_to_cart(CartOwner.guest(None), shared, 2).guest_token
    add_to_cart(CartOwner.guest(guest), other, 1)

    notes = merge_guest_cart(guest, user_id)

    lines = {line.variant_id: line.quantity for line in cart_summary(CartOwner.user(user_id)).lines}
    assert lines == {shared: 4, other: 1}  # 3 + 2 capped at the 4 in stock
    assert any("Road Racer (42): only 4" in note for note in notes)
    assert db.session.scalar(select(func.count(Cart.id)).where(Cart.token == guest)) == 0


def test_a_guest_cart_becomes_the_users_cart_when_they_had_none(db, make):
    variant_id = make.product(sizes={"42": 4}).variants[0].id
    user_id = make.user().id
    guest = add_to_cart(CartOwner.guest(None), variant_id, 2).guest_token

    assert merge_guest_cart(guest, user_id) == []

    lines = cart_summary(CartOwner.user(user_id)).lines
    assert [(line.variant_id, line.quantity) for line in lines] == [(variant_id, 2)]


def test_merging_without_a_guest_cart_changes_nothing(db, make):
    user_id = make.user().id
    assert merge_guest_cart(None, user_id) == []
    assert merge_guest_cart("no-such-token", user_id) == []
    assert db.session.scalar(select(func.count(Cart.id))) == 0
