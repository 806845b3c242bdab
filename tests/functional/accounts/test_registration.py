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


def test_a_duplicate_email_in_another_case_is_refused(post, db, make):
    make.user(email="ada@example.com")

    response = post("/register", _form(email="ADA@Example.COM"))

    assert response.status_code == 409
    assert error_beside(response, "email") == "An account with this email address already exists."
    assert _users(db) == 1


def test_registering_logs_the_user_in_and_says_so(client, post, db):
    response = post("/register", _form(email="Ada@Example.com"), follow_redirects=True)

    assert response.status_code == 200
    assert "Your account is ready and you are logged in." in page_text(response)
    account = client.get("/account")
    assert account.status_code == 200
    assert "Signed in as ada@example.com" in page_text(account)


def test_the_registration_form_is_not_shown_to_someone_logged_in(client, login_as, make, db):
    login_as(client, make.user())

    response = client.get("/register")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
