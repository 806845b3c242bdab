from urllib.parse import parse_qs, urlsplit

import pytest

from storefront.accounts.decorators import admin_required
from tests.factories import PASSWORD

EVIL_NEXT_VALUES = [
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "\\\\evil.example",
]


def _stays_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        parts.scheme == ""
        and parts.netloc == ""
        and location.startswith("/")
        and (not location.startswith("//") and "\\" not in location)
    )


@pytest.mark.parametrize("evil", EVIL_NEXT_VALUES)
def test_next_values_never_send_the_browser_off_the_site_after_login(client, post, make, db, evil):
    make.user(email="ada@example.com")

    response = post(
        "/login", {"email": "ada@example.com", "password": PASSWORD}, query_string={"next": evil}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("evil", EVIL_NEXT_VALUES)
def test_next_values_never_send_the_browser_off_the_site_after_registering(post, db, evil):
    response = post(
        "/register",
        {
            "name": "Ada",
            "email": "ada@example.com",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
        query_string={"next": evil},
    )

    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("evil", EVIL_NEXT_VALUES)
def test_the_login_form_never_carries_an_evil_next_value(client, db, evil):
    html = client.get("/login", query_string={"next": evil}).get_data(as_text=True)

    assert "evil.example" not in html and "javascript:" not in html


def test_a_relative_next_path_is_followed_after_login(post, make, db):
    make.user(email="ada@example.com")

    response = post(
        "/login",
        {"email": "ada@example.com", "password": PASSWORD},
        query_string={"next": "/cart?from=login"},
    )

    assert response.headers["Location"] == "/cart?from=login"


@pytest.fixture
def guarded_app(app):
    @app.get("/_test/back-office")
    @admin_required
    def back_office():
        return "back office"

    return app


def test_the_admin_guard_sends_a_guest_to_the_login_page_and_back(guarded_app, client, db):
    response = client.get("/_test/back-office?tab=orders")

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query) == {"next": ["/_test/back-office?tab=orders"]}


def test_the_admin_guard_shows_a_customer_the_403_page(guarded_app, client, login_as, make, db):
    login_as(client, make.user())

    response = client.get("/_test/back-office")

    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_the_admin_guard_lets_an_admin_in(guarded_app, client, login_as, make, db):
    login_as(client, make.admin())

    response = client.get("/_test/back-office")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "back office"


def test_the_account_page_sends_a_guest_to_log_in_and_back(client, db):
    response = client.get("/account")

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/account"]
