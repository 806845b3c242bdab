import re

import pytest
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.extensions import db as _db
from storefront.orders.models import STATUS_DELIVERED, STATUS_PAID, Order
from tests.factories import PASSWORD

from .conftest import error_beside, page_text


@pytest.fixture
def ada(db, make):
    return make.user(email="ada@example.com", name="Ada")


@pytest.fixture
def signed_in(client, log_in, ada):
    log_in("ada@example.com", PASSWORD)
    return client


def _fresh_user(user_id) -> User:
    _db.session.expire_all()
    return _db.session.get(User, user_id)


def test_the_account_page_links_to_the_order_history(signed_in):
    html = signed_in.get("/account").get_data(as_text=True)

    assert 'href="/orders"' in html


def test_changing_the_name_is_saved_and_said(signed_in, post, ada):
    response = post("/account/name", {"name": "Ada Lovelace"}, follow_redirects=True)

    assert "Your name is saved." in page_text(response)
    assert _fresh_user(ada.id).name == "Ada Lovelace"


def test_changing_the_email_with_a_wrong_password_shows_the_error_beside_it(signed_in, post, ada):
    response = post(
        "/account/email", {"new_email": "new@example.com", "email_password": "wrong password"}
    )

    assert response.status_code == 400
    assert error_beside(response, "email_password") == "That is not your current password."
    assert _fresh_user(ada.id).email == "ada@example.com"


def test_changing_the_email_to_one_in_use_is_refused_beside_the_field(signed_in, post, make):
    make.user(email="taken@example.com")

    response = post(
        "/account/email", {"new_email": "TAKEN@example.com", "email_password": PASSWORD}
    )

    assert response.status_code == 409
    assert error_beside(response, "new_email") == (
        "An account with this email address already exists."
    )


def test_changing_the_email_with_the_password_works(signed_in, post, ada):
    response = post(
        "/account/email",
        {"new_email": "Ada.New@Example.com", "email_password": PASSWORD},
        follow_redirects=True,
    )

    assert "Your email address is now ada.new@example.com." in page_text(response)
    assert _fresh_user(ada.id).email == "ada.new@example.com"


def test_changing_the_password_needs_the_current_one(signed_in, post):
    response = post(
        "/account/password",
        {
            "current_password": "wrong password",
            "new_password": "purple elephant juggles 7 kettles",
            "new_password_again": "purple elephant juggles 7 kettles",
        },
    )

    assert response.status_code == 400
    assert error_beside(response, "current_password") == "That is not your current password."


def _order_for(user_id: int, status: str = STATUS_DELIVERED) -> None:
    _db.session.add(
        Order(
            reference="SF-2001",
            status=status,
            checkout_token="checkout-2001",
            user_id=user_id,
            customer_name="Ada",
            customer_email="ada@example.com",
            currency="EUR",
            subtotal_cents=5000,
            shipping_cents=0,
            total_cents=5000,
            shipping_method="standard",
            shipping_label="Standard delivery",
            payment_method="bank_transfer",
            ship_name="Ada",
            ship_street="12 Analytical Lane",
            ship_city="London",
            ship_postal_code="N1 9GU",
            ship_country="United Kingdom",
        )
    )
    _db.session.commit()


def test_account_deletion_leaves_no_personal_data_keeps_the_orders_and_kills_the_old_cookie(
    app, signed_in, post, ada
):
    _order_for(ada.id)
    copied = app.test_client()
    copied.set_cookie("session", signed_in.get_cookie("session").value)
    assert copied.get("/account").status_code == 200

    response = post("/account/delete", {"delete_password": PASSWORD}, follow_redirects=True)

    assert "Your account is deleted" in page_text(response)
    row = _fresh_user(ada.id)
    assert (row.name, row.email, row.password_hash, row.is_active) == ("", None, None, False)
    order = _db.session.execute(select(Order)).scalar_one()
    assert order.reference == "SF-2001" and order.user_id is None
    assert order.customer_email == "deleted-SF-2001@invalid"
    assert copied.get("/account").status_code == 302
    assert signed_in.get("/account").status_code == 302


def test_account_deletion_with_a_wrong_password_shows_the_error_and_keeps_the_account(
    signed_in, post, ada
):
    response = post("/account/delete", {"delete_password": "wrong password"})

    assert response.status_code == 400
    assert error_beside(response, "delete_password") == "That is not your password."
    assert 'id="delete-account-modal"' not in response.get_data(as_text=True)
    assert _fresh_user(ada.id).email == "ada@example.com"


def test_the_delete_button_opens_a_confirmation_modal(signed_in):
    html = signed_in.get("/account").get_data(as_text=True)

    assert 'data-bs-target="#delete-account-modal"' in html
    assert 'name="delete_password"' in html


def test_the_delete_button_links_to_a_page_asking_for_the_password_without_javascript(
    signed_in, post, ada
):
    html = signed_in.get("/account").get_data(as_text=True)
    assert re.search(r'<a [^>]*href="/account/delete"[^>]*data-bs-toggle="modal"', html)

    page = signed_in.get("/account/delete")

    assert page.status_code == 200
    form = re.search(r'<form method="post" action="/account/delete".*?</form>', page.text, re.S)
    assert form and 'name="delete_password"' in form.group(0)
    assert 'id="delete-account-modal"' not in page.text
    response = post("/account/delete", {"delete_password": PASSWORD}, follow_redirects=True)
    assert "Your account is deleted" in page_text(response)
    assert _fresh_user(ada.id).email is None


def test_deleting_an_account_with_a_paid_order_is_refused_naming_the_order(signed_in, post, ada):
    _order_for(ada.id, STATUS_PAID)

    response = post("/account/delete", {"delete_password": PASSWORD})

    assert response.status_code == 409
    message = error_beside(response, "delete_password")
    assert message.startswith("Your account still has open orders: SF-2001 (Paid).")
    assert "contacting us" in message
    assert _fresh_user(ada.id).email == "ada@example.com"
    order = _db.session.execute(select(Order)).scalar_one()
    assert (order.user_id, order.ship_street) == (ada.id, "12 Analytical Lane")
