"""Logging in keeps what a guest put in the cart, merged into the account's cart."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.functional.cart.conftest import cart_lines, page_text


def test_a_guest_cart_with_two_lines_merges_at_login_capped_by_stock(
    app, client, db, make, add, post, login_as
):
    shared = make.product(name="Road Racer", sizes={"42": 4}).variants[0].id
    other = make.product(name="Snow Boot", sizes={"44": 6}).variants[0].id
    ada = make.user(email="ada@example.com")
    elsewhere = app.test_client()  # Ada's phone, already holding one line
    login_as(elsewhere, ada)
    add(shared, "3", on=elsewhere)
    add(shared, "2")  # this browser, as a guest
    add(other, "1")

    response = post(
        "/login", {"email": "ada@example.com", "password": PASSWORD}, follow_redirects=True
    )

    assert "Road Racer (42): only 4 can be in your cart" in page_text(response)
    assert sorted(cart_lines(db)) == sorted([(shared, 4), (other, 1)])
    cart = page_text(client.get("/cart"))
    assert "Road Racer" in cart and "Snow Boot" in cart
