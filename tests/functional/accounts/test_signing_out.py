"""Signing out leaves nothing behind: the remember-me cookie goes, and no-JS browsers can do it."""

import re

import pytest

from tests.factories import PASSWORD

from .conftest import page_text


@pytest.fixture
def ada(db, make):
    return make.user(email="ada@example.com", name="Ada")


@pytest.fixture
def remembered(client, log_in, ada):
    log_in("ada@example.com", PASSWORD, remember=True)
    assert client.get_cookie("remember_token") is not None
    return client


def _expires_remember_me(response) -> bool:
    return any(
        header.startswith("remember_token=;")
        and re.search(r"(Max-Age=0|Expires=Thu, 01 Jan 1970)", header)
        for header in response.headers.getlist("Set-Cookie")
    )


def test_logging_out_deletes_the_remember_me_cookie(remembered, post):
    response = post("/logout")

    assert _expires_remember_me(response)
    assert remembered.get_cookie("remember_token") is None


def test_changing_the_password_deletes_the_remember_me_cookie_and_keeps_this_session(
    remembered, post
):
    new = "purple elephant juggles 7 kettles"
    response = post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "new_password_again": new},
    )

    assert response.status_code == 302
    assert _expires_remember_me(response)
    assert remembered.get_cookie("remember_token") is None
    assert remembered.get("/account").status_code == 200


def test_deleting_the_account_deletes_the_remember_me_cookie(remembered, post):
    response = post("/account/delete", {"delete_password": PASSWORD})

    assert response.status_code == 302
    assert _expires_remember_me(response)
    assert remembered.get_cookie("remember_token") is None


def test_the_account_page_has_a_log_out_button_that_works_without_javascript(
    client, log_in, post, ada
):
    log_in("ada@example.com", PASSWORD)
    page = client.get("/account").get_data(as_text=True)

    form = re.search(r'<form method="post" action="(/logout)"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no log-out form on the account page"
    assert re.search(r'<button type="submit"[^>]*>\s*Log out\s*</button>', form.group(2))

    response = post(form.group(1), follow_redirects=True)
    assert "You are logged out." in page_text(response)
    assert client.get("/account").status_code == 302
