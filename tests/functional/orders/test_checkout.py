"""Checkout: details → review → place order, one order per checkout, totals from the server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from storefront.accounts.models import Address
from storefront.catalog.models import Variant
from storefront.orders.models import Order
from tests.functional.cart.conftest import cart_lines, page_text

from .conftest import ADDRESS_FORM, checkout_token_in


@pytest.fixture
def shoe(db, make):
    return make.product(name="Trail Runner", price_cents=4500, sizes={"42": 5, "43": 5})


@pytest.fixture
def ada(db, make, client, login_as):
    person = make.user(email="ada@example.com", name="Ada")
    login_as(client, person)
    return person


def _orders(db) -> list[Order]:
    db.session.rollback()
    return list(db.session.scalars(select(Order).order_by(Order.id)))


def test_anonymous_visitors_are_sent_to_log_in_first(client, db):
    for path in ("/checkout", "/orders"):
        response = client.get(path)
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client, ada):
    response = client.get("/checkout")
    assert response.headers["Location"] == "/cart"


def test_a_customer_checks_out_and_gets_a_confirmation_page_and_email(
    client, db, add, check_out, ada, shoe, smtp_server
):
    add(shoe.variants[0].id, "2")
    details = client.get("/checkout")
    assert details.status_code == 200
    assert "Bank transfer" in page_text(details) and "Pay on delivery" in page_text(details)

    response = check_out()

    [order] = _orders(db)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/orders/{order.reference}/thanks"
    page = page_text(client.get(response.headers["Location"]))
    assert order.reference in page
    assert "DE89 3704 0044 0532 0130 00" in page  # the bank details
    assert "€94.99" in page  # 2 × €45.00 + €4.99 shipping
    assert cart_lines(db) == []

    [mail] = smtp_server.wait(1)
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert mail["To"] == "ada@example.com"
    assert order.reference in mail["Subject"] and order.reference in body
    assert "2 x Trail Runner (size 42)" in body
    assert "Total: €94.99" in body
    assert "DE89 3704 0044 0532 0130 00" in body


def test_the_order_is_placed_while_a_slow_mail_server_still_holds_the_confirmation(
    client, db, add, check_out, ada, shoe, smtp_server
):
    smtp_server.open.clear()  # the server takes the message but does not answer yet
    add(shoe.variants[0].id, "1")

    response = check_out()

    assert response.status_code == 302 and "/thanks" in response.headers["Location"]
    assert smtp_server.receiving.wait(10), "the confirmation never reached the mail server"
    assert smtp_server.messages == []  # the customer did not wait for the mail server
    smtp_server.open.set()
    [mail] = smtp_server.wait(1)
    assert _orders(db)[0].reference in mail["Subject"]


def test_the_review_page_shows_lines_totals_address_and_payment(client, add, review, ada, shoe):
    add(shoe.variants[0].id, "1")
    page = review({"shipping_method": "express", "payment_method": "cod"})

    text = page_text(page)
    assert page.status_code == 200
    assert "Trail Runner" in text and "€45.00" in text
    assert "Express delivery" in text and "€9.99" in text and "€54.99" in text
    assert "1 Shoe Lane" in text and "Pay on delivery" in text
    assert checkout_token_in(page)


def test_placing_the_same_checkout_twice_gives_one_order_and_the_same_page(
    client, db, add, review, post, ada, shoe
):
    add(shoe.variants[0].id, "1")
    token = checkout_token_in(review())
    data = {**ADDRESS_FORM, "checkout_token": token}

    first = post("/checkout/place", data)
    second = post("/checkout/place", data)

    assert first.headers["Location"] == second.headers["Location"]
    assert len(_orders(db)) == 1
    assert db.session.scalar(select(Variant.stock).where(Variant.id == shoe.variants[0].id)) == 4


def test_two_tabs_reviewing_the_same_cart_share_one_checkout_token(client, add, review, ada, shoe):
    add(shoe.variants[0].id, "1")
    assert checkout_token_in(review()) == checkout_token_in(review())


def test_prices_totals_and_user_id_in_the_checkout_post_change_nothing(
    client, db, make, add, check_out, ada, shoe
):
    someone = make.user()
    add(shoe.variants[0].id, "1")
    tampered = {
        "price": "1",
        "unit_price": "1",
        "total": "1",
        "subtotal_cents": "1",
        "shipping_cents": "0",
        "total_cents": "1",
        "user_id": str(someone.id),
    }

    check_out(extra=tampered)

    [order] = _orders(db)
    assert (order.subtotal_cents, order.shipping_cents, order.total_cents) == (4500, 499, 4999)
    assert order.user_id == ada.id
    assert [line.unit_price_cents for line in order.lines] == [4500]


def test_missing_address_fields_are_named_beside_the_form(client, db, add, review, ada, shoe):
    add(shoe.variants[0].id, "1")
    page = review({"street": "", "city": "", "shipping_method": "teleport"})

    text = page_text(page)
    assert page.status_code == 400
    assert "Enter the street and number." in text and "Enter the city." in text
    assert "Choose a shipping method." in text
    assert _orders(db) == []


def test_a_saved_address_is_offered_at_the_next_checkout(client, db, add, check_out, ada, shoe):
    add(shoe.variants[0].id, "1")
    check_out({"save_address": "y"})
    add(shoe.variants[0].id, "1")

    page = client.get("/checkout")

    db.session.rollback()
    address_id = db.session.scalar(select(Address.id))
    html = page.get_data(as_text=True)
    assert f'name="address_choice" id="address_choice-1" value="{address_id}" checked' in html
    assert "Ada Customer, 1 Shoe Lane, LS1 1AA Leeds, United Kingdom" in page_text(page)

    check_out({"address_choice": str(address_id), "full_name": "", "street": ""})
    assert [order.ship_street for order in _orders(db)] == ["1 Shoe Lane", "1 Shoe Lane"]


def test_someone_elses_saved_address_cannot_be_used(client, db, make, add, review, ada, shoe):
    other = make.user()
    db.session.add(
        Address(
            user_id=other.id,
            full_name="Bo",
            street="2 Elm St",
            city="York",
            postal_code="Y1",
            country="UK",
        )
    )
    db.session.commit()
    foreign = db.session.scalar(select(Address.id))
    add(shoe.variants[0].id, "1")

    page = review({"address_choice": str(foreign)})

    assert page.status_code == 400
    assert "2 Elm St" not in page_text(page)


def test_an_item_sold_out_before_placing_sends_the_customer_to_the_cart(
    client, db, add, review, post, ada, shoe
):
    add(shoe.variants[0].id, "3")
    token = checkout_token_in(review())
    db.session.rollback()
    db.session.execute(
        Variant.__table__.update().where(Variant.id == shoe.variants[0].id).values(stock=1)
    )
    db.session.commit()

    response = post("/checkout/place", {**ADDRESS_FORM, "checkout_token": token})

    assert response.headers["Location"] == "/cart"
    assert _orders(db) == []
    cart = page_text(client.get("/cart"))
    assert "not enough stock" in cart and "Only 1 left in stock." in cart
    assert cart_lines(db) == [(shoe.variants[0].id, 3)]


def test_a_missing_or_malformed_checkout_token_places_nothing(client, db, add, post, ada, shoe):
    add(shoe.variants[0].id, "1")
    for token in ("", "short", "x" * 65):
        response = post("/checkout/place", {**ADDRESS_FORM, "checkout_token": token})
        assert response.headers["Location"] == "/checkout"
    assert _orders(db) == []


def test_no_order_page_contains_inline_script(client, add, check_out, ada, shoe):
    add(shoe.variants[0].id, "1")
    thanks = check_out().headers["Location"]
    for path in ("/checkout", thanks, "/orders"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "onclick" not in html


def test_changing_details_from_the_review_page_keeps_what_was_typed(client, add, post, ada, shoe):
    add(shoe.variants[0].id, "1")
    page = post("/checkout", {**ADDRESS_FORM, "edit": "1", "city": "York"})

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="York"' in html and 'value="1 Shoe Lane"' in html


def test_pay_on_delivery_shows_what_to_have_ready_and_no_bank_details(
    client, db, add, check_out, ada, shoe
):
    add(shoe.variants[0].id, "1")
    thanks = client.get(check_out({"payment_method": "cod"}).headers["Location"])

    text = page_text(thanks)
    assert "Pay on delivery" in text and "have €49.99 ready" in text
    assert "IBAN" not in text


def test_a_new_address_at_placing_needs_no_saved_one_and_an_error_shows_them_again(
    client, db, add, review, post, check_out, ada, shoe
):
    add(shoe.variants[0].id, "1")
    check_out({"save_address": "y"})
    add(shoe.variants[0].id, "1")
    page = review({"street": "9 New Road"})
    token = checkout_token_in(page)

    refused = post("/checkout/place", {**ADDRESS_FORM, "city": "", "checkout_token": token})

    assert refused.status_code == 400
    assert "Enter the city." in page_text(refused)
    assert "Ada Customer, 1 Shoe Lane, LS1 1AA Leeds, United Kingdom" in page_text(refused)
    placed = post(
        "/checkout/place", {**ADDRESS_FORM, "street": "9 New Road", "checkout_token": token}
    )
    assert placed.status_code == 302
    assert [order.ship_street for order in _orders(db)] == ["1 Shoe Lane", "9 New Road"]
