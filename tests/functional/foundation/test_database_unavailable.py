"""While the database cannot be reached, pages say so with a 503 and when to retry, not a 500."""

from __future__ import annotations

import re

import pytest

from storefront import create_app
from storefront.config import TestConfig

# Nothing listens on the discard port: every connection is refused at once.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/storefront"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def client_without_database(tmp_path):
    app = create_app(TestConfig(UNREACHABLE, str(tmp_path)))
    return app.test_client()


def test_a_guest_page_tells_the_visitor_to_retry_shortly(client_without_database):
    response = client_without_database.get("/products")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "cannot reach its database just now" in _text(response)


def test_a_signed_in_customers_page_is_drawn_without_their_account(client_without_database):
    with client_without_database.session_transaction() as session:
        session["_user_id"] = "a-login-session-token"
        session["_fresh"] = True

    response = client_without_database.get("/cart")

    assert response.status_code == 503
    assert "cannot reach its database just now" in _text(response)
    assert "Log in" in _text(response)
