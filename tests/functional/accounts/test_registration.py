import re

from sqlalchemy import func, select

from storefront.accounts.models import User
from tests.factories import PASSWORD

from .conftest import error_beside, page_text


def _users(db) -> int:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def _form(**changes) -> dict:
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    data.update(changes)
    return data


def test_registration_errors_are_shown_beside_the_fields_and_nothing_is_stored(post, db):
    response = post(
        "/register",
        _form(name="", email="not-an-email", password="short", password_again="different"),
    )

    assert response.status_code == 422
    assert error_beside(response, "name") == "Enter your name."
    assert error_beside(response, "email") == "Enter a valid email address."
    assert error_beside(response, "password") == "Use at least 10 characters."
    assert error_beside(response, "password_again") == "The two passwords are not the same."
    assert _users(db) == 0


def test_a_guessable_password_is_refused_with_the_reason_beside_the_field(post, db):
    response = post("/register", _form(password="password1234", password_again="password1234"))

    assert response.status_code == 422
    assert error_beside(response, "password").startswith("This password is too easy to guess.")
    assert _users(db) == 0


def test_a_password_over_128_characters_is_refused(post, db):
    long = "tr0mb0ne-" * 15
    response = post("/register", _form(password=long, password_again=long))

    assert error_beside(response, "password") == "Use at most 128 characters."
    assert _users(db) == 0


def _answer(response) -> tuple:
    cookies = sorted(header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie"))
    return response.status_code, response.headers.get("Location"), cookies


def test_registering_a_known_or_a_new_address_gets_the_same_answer(app, post, db, make):
    make.user(email="ada@example.com")
    known = post("/register", _form(email="ADA@Example.COM"), on=app.test_client())
    new = post("/register", _form(email="grace@example.com"), on=app.test_client())

    assert _answer(known) == _answer(new)
    assert known.status_code == 302
    assert known.headers["Location"] == "/register/check-your-inbox"
    assert _users(db) == 2


def test_after_registering_the_person_is_told_to_check_their_inbox_and_may_log_in(client, post, db):
    response = post("/register", _form(email="Ada@Example.com"), follow_redirects=True)

    assert response.status_code == 200
    text = page_text(response)
    assert "Check your inbox" in text
    assert "You can log in with your password straight away" in text
    assert client.get("/account").status_code == 302  # not signed in: the answer says nothing
    login = post("/login", {"email": "ada@example.com", "password": PASSWORD})
    assert login.status_code == 302
    assert "Signed in as ada@example.com" in page_text(client.get("/account"))


def test_registering_mails_a_confirmation_link_to_a_new_address(client, post, db, smtp_server):
    post("/register", _form(email="grace@example.com"))

    (mail,) = smtp_server.wait(1)
    assert mail["To"] == "grace@example.com"
    assert "Confirm your email address" in mail["Subject"]
    link = re.search(r"https?://[^/\s]+(/confirm-email/\S+)", mail.get_content()).group(1)
    post(link)
    person = db.session.execute(select(User)).scalar_one()
    db.session.refresh(person)
    assert person.email_confirmed


def test_registering_a_known_address_mails_its_owner_how_to_get_in(post, db, make, smtp_server):
    make.user(email="ada@example.com")

    post("/register", _form(email="ada@example.com"))

    (mail,) = smtp_server.wait(1)
    assert mail["To"] == "ada@example.com"
    assert "Someone tried to register with your address" in mail["Subject"]
    body = mail.get_content()
    assert "/login" in body and "/forgot-password" in body
    assert "/confirm-email/" not in body


def test_a_known_and_a_new_address_cost_the_same_password_hashing(post, db, make, monkeypatch):
    from argon2 import PasswordHasher

    make.user(email="ada@example.com")
    hashed = []
    real_hash = PasswordHasher.hash
    monkeypatch.setattr(
        PasswordHasher, "hash", lambda self, p, **kw: hashed.append(p) or real_hash(self, p, **kw)
    )

    post("/register", _form(email="ada@example.com"))
    post("/register", _form(email="grace@example.com"))

    assert len(hashed) == 2


def test_the_registration_form_is_not_shown_to_someone_logged_in(client, login_as, make, db):
    login_as(client, make.user())

    response = client.get("/register")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
