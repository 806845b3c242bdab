"""The cart page: add, change, remove, empty; server-side prices; refused input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.cart.models import Cart
from storefront.cart.session import CART_TOKEN_KEY

from .conftest import cart_lines, page_text


@pytest.fixture
def shoe(db, make):
    return make.product(name="Road Racer", price_cents=5995, sizes={"42": 5, "43": 0})


def test_a_browsing_guest_sees_an_empty_cart_and_gets_no_cart_row(client, db, shoe):
    response = client.get("/cart")

    assert response.status_code == 200
    assert "Your cart is empty" in page_text(response)
    assert 'href="/products"' in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert CART_TOKEN_KEY not in session
    assert db.session.scalar(select(func.count(Cart.id))) == 0


def test_a_guest_adds_an_item_and_sees_it_priced_by_the_server(client, db, add, shoe):
    response = add(shoe.variants[0].id, "2")

    assert response.status_code == 302
    assert response.headers["Location"] == "/cart"
    page = client.get("/cart")
    text = page_text(page)
    assert "Road Racer" in text and "Size 42" in text
    assert "€59.95" in text and "€119.90" in text  # unit price and line total
    assert "Free" in text  # standard delivery is free above €100
    assert client.get_cookie("cart_count").value == "2"  # the navbar's badge shows it
    with client.session_transaction() as session:
        assert session[CART_TOKEN_KEY]


def test_price_total_and_user_id_in_an_add_post_change_nothing(client, db, make, add, shoe):
    someone = make.user()
    add(
        shoe.variants[0].id,
        "1",
        price="1",
        unit_price="1",
        unit_price_cents_seen="1",
        total="1",
        user_id=str(someone.id),
    )

    text = page_text(client.get("/cart"))
    assert "€59.95" in text and "€0.01" not in text
    assert "€4.99" in text and "€64.94" in text  # shipping estimate and total
    db.session.rollback()
    carts = db.session.scalars(select(Cart)).all()
    assert [(cart.user_id, cart.lines[0].unit_price_cents_seen) for cart in carts] == [(None, 5995)]


@pytest.mark.parametrize("quantity", ["-1", "0", "1.5", "abc", str(10**12), "", "100", "6"])
def test_a_bad_quantity_is_refused_with_a_message_and_no_line(client, db, add, shoe, quantity):
    response = add(shoe.variants[0].id, quantity)

    assert 400 <= response.status_code < 500
    text = page_text(response)
    assert "Enter a whole number from 1 to 99" in text or "Only 5 of Road Racer (42)" in text
    assert cart_lines(db) == []


@pytest.mark.parametrize("quantity", ["-1", "0", "1.5", "abc", str(10**12), "", "6"])
def test_a_bad_quantity_in_the_cart_leaves_the_line_as_it_was(
    client, db, post, add, shoe, quantity
):
    add(shoe.variants[0].id, "2")
    [(variant_id, _)] = cart_lines(db)
    line_id = db.session.scalar(select(Cart)).lines[0].id

    response = post(f"/cart/lines/{line_id}", {"quantity": quantity})

    assert response.status_code == 400
    assert "alert-danger" in response.get_data(as_text=True)
    assert cart_lines(db) == [(variant_id, 2)]


def test_a_sold_out_size_cannot_be_added(client, db, add, shoe):
    response = add(shoe.variants[1].id, "1")
    assert response.status_code == 400
    assert "sold out" in page_text(response)
    assert cart_lines(db) == []


def test_an_unknown_or_missing_variant_is_refused_without_an_error_page(client, db, add, post):
    assert add("999999").status_code == 404
    assert post("/cart/add", {"quantity": "1"}).status_code == 400
    assert add("abc").status_code == 404
    assert cart_lines(db) == []


def test_adding_goes_back_to_a_relative_next_but_never_to_another_site(client, add, shoe):
    back = add(shoe.variants[0].id, "1", next="/p/road-racer?size=42")
    assert back.headers["Location"] == "/p/road-racer?size=42"
    for outside in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        assert add(shoe.variants[0].id, "1", next=outside).headers["Location"] == "/cart"


def test_changing_removing_and_emptying(client, db, post, add, make, shoe):
    other = make.product(name="Snow Boot", sizes={"44": 3})
    add(shoe.variants[0].id, "1")
    add(other.variants[0].id, "1")
    db.session.rollback()
    first, second = (line.id for line in db.session.scalar(select(Cart)).lines)

    assert post(f"/cart/lines/{first}", {"quantity": "4"}).status_code == 302
    assert cart_lines(db) == [(shoe.variants[0].id, 4), (other.variants[0].id, 1)]
    assert post(f"/cart/lines/{second}/remove").status_code == 302
    assert cart_lines(db) == [(shoe.variants[0].id, 4)]
    assert post("/cart/empty").status_code == 302
    assert cart_lines(db) == []
    assert "Your cart is empty" in page_text(client.get("/cart"))


def test_a_line_of_someone_elses_cart_cannot_be_changed(client, app, db, post, add, shoe):
    stranger = app.test_client()
    add(shoe.variants[0].id, "1", on=stranger)
    db.session.rollback()
    their_line = db.session.scalar(select(Cart)).lines[0].id

    assert post(f"/cart/lines/{their_line}", {"quantity": "3"}).status_code == 404
    assert post(f"/cart/lines/{their_line}/remove").status_code == 404
    assert cart_lines(db) == [(shoe.variants[0].id, 1)]


def test_a_flagged_line_blocks_checkout_until_the_changes_are_accepted(client, db, post, add, shoe):
    from storefront.catalog.models import Product

    add(shoe.variants[0].id, "1")
    db.session.rollback()
    db.session.get(Product, shoe.id).base_price_cents = 6495
    db.session.commit()

    page = client.get("/cart")
    html = page.get_data(as_text=True)
    assert "The price changed from €59.95 to €64.95." in page_text(page)
    assert 'href="/checkout"' not in html and "disabled" in html

    post("/cart/accept-changes")
    html = client.get("/cart").get_data(as_text=True)
    assert 'href="/checkout"' in html


def test_the_cart_page_has_no_inline_script(client, add, shoe):
    add(shoe.variants[0].id, "1")
    html = client.get("/cart").get_data(as_text=True)
    assert "<script>" not in html and "onclick" not in html and "style=" not in html
