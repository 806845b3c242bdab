"""A real Chromium: a form another site submits to the shop is refused; the shop's own works.

The second site is a tiny page server on another port. At http://localhost:<port> it is
another site (Chromium sends `Sec-Fetch-Site: cross-site`, and the Lax session cookie stays
home); at http://127.0.0.1:<port> it is the same site but another origin (`same-site`, and
the session cookie is sent): both must be refused.
"""

from __future__ import annotations

import html
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD

REFUSAL = "This form was sent from another site, so the shop did not act on it."


class _ForgingPage(BaseHTTPRequestHandler):
    """Serve a page whose form posts itself to the URL in `?to=`, with fields from the query."""

    def do_GET(self):  # noqa: N802 - http.server's API
        query = parse_qs(urlsplit(self.path).query)
        target = query.pop("to")[0]
        fields = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(values[0])}">'
            for name, values in query.items()
        )
        body = (
            "<!doctype html><title>Win a prize</title>"
            f'<form id="forged" method="post" action="{html.escape(target)}">{fields}</form>'
            "<script>document.getElementById('forged').submit()</script>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def other_site_port():
    """Serve the forging page on a free port of 127.0.0.1; return the port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ForgingPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser, live_server):
    """Return a fresh browser tab (its own cookies) with the shop as its base URL."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _variant_on_sale(page) -> tuple[str, str]:
    """Open a product page and choose a size with stock; return the name and the size's id."""
    page.goto("/search?q=Ridge+Runner")
    page.get_by_role("link", name=re.compile(r"^Ridge Runner")).first.click()
    name = page.get_by_role("heading", level=1).inner_text()
    sizes = page.get_by_role("group", name="Size").get_by_role("radio")
    for index in range(sizes.count()):
        radio = sizes.nth(index)
        if not radio.is_disabled() and int(radio.get_attribute("data-max-quantity") or 0) >= 3:
            page.locator(f"label[for='{radio.get_attribute('id')}']").click()
            expect(radio).to_be_checked()
            return name, radio.get_attribute("value")
    raise AssertionError(f"no size of {name} has 3 in stock")


def _forge(page, live_server, other_origin: str, path: str, **fields):
    """Visit the other site, whose page posts a form to the shop; return the shop's answer."""
    query = "&".join(
        f"{name}={value}" for name, value in {"to": live_server + path, **fields}.items()
    )
    with page.expect_response(lambda response: response.url == live_server + path) as answer:
        page.goto(f"{other_origin}/?{query}")
    page.wait_for_load_state()
    return answer.value


@pytest.fixture(params=["localhost", "127.0.0.1"], ids=["cross-site", "same-site"])
def other_origin(request, other_site_port) -> str:
    """Return the other site's origin: another site, or the same site on another port."""
    return f"http://{request.param}:{other_site_port}"


def test_an_add_to_cart_posted_by_another_site_is_refused_and_the_cart_stays_empty(
    tab, live_server, other_origin
):
    name, variant_id = _variant_on_sale(tab)

    answer = _forge(tab, live_server, other_origin, "/cart/add", variant_id=variant_id, quantity=3)

    assert answer.status == 403
    expect(tab.get_by_text(REFUSAL)).to_be_visible()
    tab.goto("/cart")
    expect(tab.get_by_text("Your cart is empty.")).to_be_visible()
    assert name not in tab.locator("main").inner_text()


def test_the_same_add_to_cart_from_the_shops_own_page_goes_in(tab, live_server):
    name, _variant_id = _variant_on_sale(tab)

    tab.get_by_role("button", name="Add to cart").click()

    expect(tab.get_by_text(f"Added 1 × {name}")).to_be_visible()
    tab.goto("/cart")
    expect(tab.locator("main").get_by_role("link", name=name)).to_be_visible()


def test_a_logout_posted_by_another_site_leaves_the_owner_signed_in(tab, live_server, other_origin):
    tab.goto("/login")
    tab.get_by_label("Email").fill(ADMIN_EMAIL)
    tab.get_by_label("Password").fill(ADMIN_PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    expect(tab.get_by_text("You are logged in", exact=False)).to_be_visible()

    answer = _forge(tab, live_server, other_origin, "/logout")

    assert answer.status == 403
    tab.goto("/account")
    assert urlsplit(tab.url).path == "/account"
    expect(tab.get_by_role("heading", level=1)).to_be_visible()
    expect(tab.get_by_role("link", name="Log in")).to_have_count(0)


def test_the_cart_badge_shows_the_count_on_a_stored_page(browser, live_server, tab):
    tab.goto("/products")  # a first guest: the page is stored now
    tab.goto("/products")
    _name, _variant_id = _variant_on_sale(tab)
    tab.locator(".add-to-cart input[name=quantity]").fill("2")
    tab.get_by_role("button", name="Add to cart").click()
    expect(tab.get_by_text("Added 2 ×", exact=False)).to_be_visible()

    listing = tab.goto("/products")

    assert listing.headers.get("x-page-cache") == "hit"
    badge = tab.locator("[data-cart-count]:visible")
    expect(badge).to_have_text("2")
    expect(tab.get_by_role("link", name="Cart, 2 items")).to_be_visible()
