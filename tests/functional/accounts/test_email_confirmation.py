"""An unconfirmed account: it can shop, is reminded to confirm, and may not change its email."""

import re

import pytest

from storefront.accounts.models import User
from storefront.extensions import db as _db
from tests.factories import PASSWORD

from .conftest import error_beside, page_text


@pytest.fixture
def unconfirmed(client, login_as, make, db):
    person = make.user(email="ada@example.com", name="Ada", confirmed=False)
    login_as(client, person)
    return person


def _link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/confirm-email/\S+)", mail.get_content()).group(1)


def test_the_account_page_reminds_an_unconfirmed_customer_and_resends_the_link(
    client, post, unconfirmed, smtp_server
):
    page = page_text(client.get("/account"))
    assert "Please confirm your email address." in page
    assert "you cannot change your email address" in page

    response = post("/account/confirmation", follow_redirects=True)

    assert "We have sent a new confirmation link to ada@example.com." in page_text(response)
    (mail,) = smtp_server.wait(1)
    assert mail["To"] == "ada@example.com"
    confirm_page = client.get(_link(mail))
    assert confirm_page.status_code == 200
    confirmed = post(_link(mail), follow_redirects=True)
    assert "your email address is confirmed" in page_text(confirmed)
    assert "Please confirm your email address." not in page_text(client.get("/account"))


def test_a_confirmed_customer_sees_no_reminder(client, login_as, make, db):
    login_as(client, make.user(email="bo@example.com"))

    assert "Please confirm your email address." not in page_text(client.get("/account"))


def test_an_unconfirmed_account_may_not_change_its_email(client, post, unconfirmed):
    response = post(
        "/account/email", {"new_email": "ada.new@example.com", "email_password": PASSWORD}
    )

    assert response.status_code == 403
    assert error_beside(response, "new_email").startswith("Confirm your current address first")
    _db.session.expire_all()
    assert _db.session.get(User, unconfirmed.id).email == "ada@example.com"


def test_an_unconfirmed_account_can_log_in_and_shop(client, log_in, post, make, db):
    make.user(email="ada@example.com", confirmed=False)
    shoe = make.product(sizes={"42": 5})

    assert log_in("ada@example.com", PASSWORD).status_code == 302
    added = post(
        "/cart/add", {"variant_id": shoe.variants[0].id, "quantity": 1}, follow_redirects=True
    )
    assert "to your cart." in page_text(added)


def test_a_password_reset_link_confirms_the_address(client, post, make, db, smtp_server):
    person = make.user(email="ada@example.com", confirmed=False)
    post("/forgot-password", {"email": "ada@example.com"})
    (mail,) = smtp_server.wait(1)
    link = re.search(r"https?://[^/\s]+(/reset-password/\S+)", mail.get_content()).group(1)
    new = "purple elephant juggles 7 kettles"

    post(link, {"password": new, "password_again": new})

    _db.session.expire_all()
    assert _db.session.get(User, person.id).email_confirmed


def test_an_old_confirmation_link_is_refused(client, make, db, monkeypatch):
    import time

    from itsdangerous import TimestampSigner

    from storefront.accounts.registration import make_confirmation_token

    person = make.user(email="ada@example.com", confirmed=False)
    issued = int(time.time()) - 8 * 86400
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        token = make_confirmation_token(person)

    response = client.get(f"/confirm-email/{token}", follow_redirects=True)

    assert "This confirmation link is invalid or has expired." in page_text(response)
