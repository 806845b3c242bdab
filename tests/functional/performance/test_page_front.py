"""Stored guest pages answered in front of Flask: the browser gets what Flask would have sent."""

from __future__ import annotations

import gzip

import pytest
from flask import session

from storefront.security import HSTS, SECURITY_HEADERS
from tests.functional.performance.conftest import form_token

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.fixture
def flask_requests(app):
    """Count the requests that reach Flask's request cycle."""
    seen = {"count": 0}

    @app.before_request
    def _count():
        seen["count"] += 1

    @app.get("/_test/lasting-session")
    def _lasting_session():
        session.permanent = True
        return "kept"

    return seen


def _html(response) -> str:
    return gzip.decompress(response.get_data()).decode()


def test_a_stored_page_reaches_a_browser_without_entering_flask(app, cached_page, flask_requests):
    app.test_client().get("/_test/page", headers=BROWSER)  # rendered and stored
    reached = flask_requests["count"]
    browser = app.test_client()
    page = browser.get("/_test/page", headers=BROWSER)
    assert page.headers["X-Page-Cache"] == "hit"
    assert flask_requests["count"] == reached
    html = _html(page)
    assert "render 1" in html
    assert browser.post("/_test/add", data={"csrf_token": form_token(html)}).status_code == 200


def test_a_new_guest_gets_the_same_headers_and_session_cookie_flask_sends(app, cached_page):
    rendered = app.test_client().get("/_test/page", headers=BROWSER)
    served = app.test_client().get("/_test/page", headers=BROWSER)
    assert (rendered.headers["X-Page-Cache"], served.headers["X-Page-Cache"]) == ("miss", "hit")
    for name, value in SECURITY_HEADERS:
        assert served.headers[name] == rendered.headers[name] == value
    assert HSTS[0] not in served.headers
    assert set(served.vary) == set(rendered.vary) == {"Accept-Encoding", "Cookie"}
    cookie_flags = [part.strip() for part in served.headers["Set-Cookie"].split(";")[1:]]
    rendered_flags = [part.strip() for part in rendered.headers["Set-Cookie"].split(";")[1:]]
    assert cookie_flags == rendered_flags
    assert served.headers["Content-Length"] == str(len(served.get_data()))


def test_a_returning_guest_keeps_their_session_and_gets_no_new_cookie(app, cached_page):
    browser = app.test_client()
    first = browser.get("/_test/page", headers=BROWSER)  # rendered: the session starts here
    again = browser.get("/_test/page", headers=BROWSER)
    assert again.headers["X-Page-Cache"] == "hit"
    assert "Set-Cookie" not in again.headers
    for page in (first, again):
        html = page.get_data(as_text=True) if page is first else _html(page)
        token = form_token(html)
        assert browser.post("/_test/add", data={"csrf_token": token}).status_code == 200


def test_a_guest_with_a_lasting_session_has_its_cookie_renewed_as_flask_would(
    app, cached_page, flask_requests
):
    app.test_client().get("/_test/page", headers=BROWSER)
    browser = app.test_client()
    browser.get("/_test/lasting-session")
    page = browser.get("/_test/page", headers=BROWSER)
    assert page.headers["X-Page-Cache"] == "hit"
    assert "Expires=" in page.headers["Set-Cookie"]


def test_a_tampered_session_cookie_is_replaced_by_a_fresh_session(app, cached_page):
    app.test_client().get("/_test/page", headers=BROWSER)
    browser = app.test_client()
    browser.set_cookie("session", "eyJjc3JmX3Rva2VuIjoiZm9yZ2VkIn0.forged.signature")
    page = browser.get("/_test/page", headers=BROWSER)
    assert page.headers["X-Page-Cache"] == "hit"
    assert "forged" not in page.headers["Set-Cookie"]
    token = form_token(_html(page))
    assert browser.post("/_test/add", data={"csrf_token": token}).status_code == 200


def test_a_head_request_gets_the_headers_of_the_stored_page_and_no_body(app, cached_page):
    app.test_client().get("/_test/page", headers=BROWSER)
    head = app.test_client().head("/_test/page", headers=BROWSER)
    assert head.status_code == 200
    assert head.headers["X-Page-Cache"] == "hit"
    assert int(head.headers["Content-Length"]) > 0
    assert head.get_data() == b""


def test_over_https_a_stored_page_tells_the_browser_to_stay_on_https(app, cached_page):
    app.test_client().get("/_test/page", headers=BROWSER)
    page = app.test_client().get("/_test/page", headers=BROWSER, base_url="https://localhost")
    assert page.headers["X-Page-Cache"] == "hit"
    assert page.headers[HSTS[0]] == HSTS[1]


def test_a_changed_secret_key_ends_old_sessions_unless_kept_as_a_fallback(app, cached_page):
    browser = app.test_client()
    first = browser.get("/_test/page")
    old_token = form_token(first.get_data(as_text=True))
    old_key = app.secret_key
    app.secret_key = "a-new-secret-key-for-this-test"
    assert browser.post("/_test/add", data={"csrf_token": old_token}).status_code == 400
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    page = browser.get("/_test/page", headers=BROWSER)
    assert page.headers["X-Page-Cache"] == "hit"
    new_token = form_token(_html(page))
    assert browser.post("/_test/add", data={"csrf_token": new_token}).status_code == 200
