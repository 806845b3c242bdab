import pytest

from storefront.accounts.models import User
from storefront.extensions import db as _db
from tests.factories import PASSWORD

from .conftest import page_text

GENERIC = "That email and password do not match an account."


@pytest.fixture
def ada(db, make):
    return make.user(email="ada@example.com", name="Ada")


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def _copy_cookies(source, target) -> None:
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie:
            target.set_cookie(name, cookie.value)


def _is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_logging_in_says_so_and_opens_the_account_page(client, log_in, ada):
    response = log_in("ada@example.com", PASSWORD, follow_redirects=True)

    assert "Welcome back, Ada! You are logged in." in page_text(response)
    assert _is_logged_in(client)


def test_the_session_cookie_changes_at_login(client, log_in, ada):
    with client.session_transaction() as session:
        session["cart_token"] = "a guest's cart"  # a guest with a session before logging in
    before = _session_cookie(client)

    log_in("ada@example.com", PASSWORD)

    after = _session_cookie(client)
    assert before and after and before != after


def test_the_session_cookie_is_httponly_and_samesite_lax(client, log_in, ada):
    response = log_in("ada@example.com", PASSWORD)

    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


def test_the_session_cookie_is_secure_when_https_is_configured(app, client, log_in, ada):
    app.config["SESSION_COOKIE_SECURE"] = True

    response = log_in("ada@example.com", PASSWORD, base_url="https://localhost")

    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in header and "HttpOnly" in header


def test_a_cookie_copied_before_logout_is_refused_after_it(app, client, log_in, post, ada):
    log_in("ada@example.com", PASSWORD)
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert _is_logged_in(thief)

    post("/logout")

    assert not _is_logged_in(client)
    assert not _is_logged_in(thief)


def test_a_remember_me_cookie_copied_before_logout_is_refused_after_it(
    app, client, log_in, post, ada
):
    log_in("ada@example.com", PASSWORD, remember=True)
    thief = app.test_client()
    thief.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert _is_logged_in(thief)

    post("/logout")

    assert not _is_logged_in(thief)


def test_a_password_change_ends_the_other_sessions(app, client, log_in, post, ada):
    phone = app.test_client()
    log_in("ada@example.com", PASSWORD, on=phone)
    log_in("ada@example.com", PASSWORD)

    response = post(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "purple elephant juggles 7 kettles",
            "new_password_again": "purple elephant juggles 7 kettles",
        },
        follow_redirects=True,
    )

    assert "every other device has been logged out" in page_text(response)
    assert _is_logged_in(client)
    assert not _is_logged_in(phone)


def test_a_disabled_user_is_logged_out_and_cannot_log_in_again(client, log_in, ada):
    log_in("ada@example.com", PASSWORD)
    from storefront.accounts.sessions import end_all_sessions

    user = _db.session.get(User, ada.id)
    user.is_active = False
    end_all_sessions(user.id)
    _db.session.commit()

    assert not _is_logged_in(client)
    response = log_in("ada@example.com", PASSWORD)
    assert response.status_code == 403
    assert "This account has been disabled." in page_text(response)


def test_unknown_and_known_emails_get_the_same_message_and_status(app, log_in, ada):
    wrong_password = log_in("ada@example.com", "not the password at all")
    unknown_email = log_in("nobody@example.com", PASSWORD, on=app.test_client())

    assert wrong_password.status_code == unknown_email.status_code == 400
    assert GENERIC in page_text(wrong_password)
    assert GENERIC in page_text(unknown_email)
    assert 'id="email-error"' not in wrong_password.get_data(as_text=True)


def test_an_unknown_email_still_costs_one_password_check(log_in, ada, monkeypatch):
    from argon2 import PasswordHasher

    checks = []
    real_verify = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda self, h, p: checks.append(h) or real_verify(self, h, p)
    )

    log_in("nobody@example.com", PASSWORD)
    log_in("ada@example.com", "not the password at all")

    assert len(checks) == 2
    assert all(check.startswith("$argon2id$") for check in checks)


def test_logging_out_needs_a_post(client, login_as, ada):
    login_as(client, ada)

    assert client.get("/logout").status_code == 405
    assert _is_logged_in(client)


def test_logging_in_moves_the_guest_cart_to_the_account(client, log_in, ada, make, db):
    from sqlalchemy import select

    from storefront.cart.models import Cart, CartLine

    shoe = make.product(sizes={"42": 5})
    guest = Cart(token="guest-cart-token")
    guest.lines.append(
        CartLine(variant_id=shoe.variants[0].id, quantity=1, unit_price_cents_seen=1)
    )
    db.session.add(guest)
    db.session.commit()
    with client.session_transaction() as session:
        session["cart_token"] = "guest-cart-token"

    log_in("ada@example.com", PASSWORD)

    db.session.expire_all()
    cart = db.session.execute(select(Cart).where(Cart.user_id == ada.id)).scalar_one()
    assert [line.quantity for line in cart.lines] == [1]
    with client.session_transaction() as session:
        assert "cart_token" not in session
