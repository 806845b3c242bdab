"""Guest pages are the same bytes for every guest, and say so to browsers, nginx and CDNs."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from backports import zstd

from storefront.config import Config
from tests.functional.performance.conftest import from_store, guest_visit

BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress, "zstd": zstd.decompress}


def _plain(response) -> bytes:
    """Return a response's body as the browser reads it, decompressed."""
    coding = response.headers.get("Content-Encoding")
    return DECODERS[coding](response.get_data()) if coding else response.get_data()


def _guest_with_a_cart(app, shoe):
    """Return a guest's browser with a pair of shoes in its cart (the message already read)."""
    guest = app.test_client()
    guest.post("/cart/add", data={"variant_id": shoe.variants[0].id, "quantity": 2})
    assert "Trail Runner" in guest.get("/cart").get_data(as_text=True)
    return guest


@pytest.mark.parametrize("url", ["/", "/products", "/search?q=trail", "/p/trail-runner"])
def test_a_guest_with_a_cart_and_a_new_guest_get_the_same_bytes(app, db, make, url):
    shoe = make.product(name="Trail Runner", slug="trail-runner", sizes={"42": 5})
    with_cart = _guest_with_a_cart(app, shoe)

    fresh = guest_visit(app, url)
    shopping = with_cart.get(url)

    assert fresh.status_code == shopping.status_code == 200
    assert shopping.get_data() == fresh.get_data()
    assert from_store(shopping)  # a cart does not make a guest's visit personal


def test_a_stored_page_holds_no_token_no_cart_count_and_no_name(app, shoe):
    guest = _guest_with_a_cart(app, shoe)
    guest_visit(app, "/products")

    page = guest.get("/products").get_data(as_text=True)

    assert "csrf_token" not in page
    assert re.findall(r"<span[^>]*data-cart-count[^>]*>([^<]*)</span>", page) == ["", ""]
    assert "Log in" in page and "My account" not in page


def test_the_cart_count_cookie_follows_the_cart_while_the_stored_page_stays_the_same(app, shoe):
    before = guest_visit(app, "/products").get_data()
    guest = app.test_client()

    guest.post("/cart/add", data={"variant_id": shoe.variants[0].id, "quantity": 2})
    assert guest.get_cookie("cart_count").value == "2"
    guest.get("/cart")  # the added-to-cart message is read
    guest.post("/cart/add", data={"variant_id": shoe.variants[0].id, "quantity": 1})
    assert guest.get_cookie("cart_count").value == "3"
    guest.get("/cart")

    after = guest.get("/products")
    assert from_store(after) and after.get_data() == before


def test_emptying_the_cart_deletes_the_cart_count_cookie(app, shoe):
    guest = _guest_with_a_cart(app, shoe)

    guest.post("/cart/empty")

    assert guest.get_cookie("cart_count") is None


@pytest.mark.parametrize("stored", [False, True], ids=["rendered", "stored"])
def test_a_guest_page_may_be_kept_briefly_by_any_cache_and_varies_by_encoding(app, shoe, stored):
    if stored:
        guest_visit(app, "/products")
    response = guest_visit(app, "/products")

    assert from_store(response) is stored
    cache_control = response.headers["Cache-Control"]
    assert cache_control == "public, max-age=30, stale-while-revalidate=60"
    vary = {item.strip() for item in response.headers["Vary"].split(",")}
    assert {"Accept-Encoding", "Cookie"} <= vary


def test_a_stored_page_has_an_etag_and_an_unchanged_one_is_answered_with_304(app, shoe):
    guest_visit(app, "/products")
    page = guest_visit(app, "/products")
    etag = page.headers["ETag"]

    again = guest_visit(app, "/products", **{"If-None-Match": etag})

    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert guest_visit(app, "/products", **{"If-None-Match": '"other"'}).status_code == 200


def test_each_encoding_of_a_stored_page_has_its_own_etag(app, shoe):
    guest_visit(app, "/products")
    plain = guest_visit(app, "/products")
    packed = guest_visit(app, "/products", **{"Accept-Encoding": BROWSER_ENCODINGS})

    assert plain.headers["ETag"] != packed.headers["ETag"]
    revalidated = guest_visit(
        app,
        "/products",
        **{"Accept-Encoding": BROWSER_ENCODINGS, "If-None-Match": packed.headers["ETag"]},
    )
    assert revalidated.status_code == 304


@pytest.mark.parametrize("stored", [False, True], ids=["rendered", "stored"])
def test_a_browser_gets_a_compressed_page_that_reads_the_same_as_the_plain_one(app, shoe, stored):
    if stored:
        guest_visit(app, "/products")
    packed = guest_visit(app, "/products", **{"Accept-Encoding": BROWSER_ENCODINGS})
    plain = guest_visit(app, "/products")

    assert from_store(packed) is stored
    assert packed.headers["Content-Encoding"] in DECODERS
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    assert _plain(packed) == plain.get_data()


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_a_client_that_accepts_one_encoding_gets_that_one(app, shoe, coding):
    guest_visit(app, "/products")

    page = guest_visit(app, "/products", **{"Accept-Encoding": coding})

    assert page.headers["Content-Encoding"] == coding
    assert _plain(page) == guest_visit(app, "/products").get_data()


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0, br;q=0"])
def test_a_client_that_does_not_accept_compression_gets_the_plain_page(app, shoe, accept):
    guest_visit(app, "/products")
    headers = {} if accept is None else {"Accept-Encoding": accept}

    page = guest_visit(app, "/products", **headers)

    assert from_store(page)
    assert "Content-Encoding" not in page.headers
    assert b"Trail Runner" in page.get_data()


def test_a_signed_in_customer_gets_their_own_page_never_the_stored_one(
    app, db, shoe, login_as, make
):
    guest_visit(app, "/products")
    customer = app.test_client()
    login_as(customer, make.user(name="Grace Hopper"))

    page = customer.get("/products")

    assert not from_store(page)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Grace Hopper" in page.get_data(as_text=True)
    assert "Grace Hopper" not in guest_visit(app, "/products").get_data(as_text=True)


def test_a_guest_with_a_message_waiting_sees_it_on_their_own_page(app, shoe):
    guest_visit(app, "/products")
    guest = app.test_client()
    guest.post("/cart/add", data={"variant_id": shoe.variants[0].id, "next": "/products"})

    page = guest.get("/products")

    assert not from_store(page)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Added 1 × Trail Runner" in page.get_data(as_text=True)
    assert "Added 1" not in guest_visit(app, "/products").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/account", "/orders", "/cart", "/checkout"])
def test_personal_pages_may_not_be_kept_by_any_cache(app, db, shoe, login_as, make, url):
    customer = app.test_client()
    login_as(customer, make.user())
    customer.post("/cart/add", data={"variant_id": shoe.variants[0].id})
    customer.get("/cart")

    response = customer.get(url)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_guests_cart_may_not_be_kept_by_any_cache(app, shoe):
    guest = _guest_with_a_cart(app, shoe)

    assert guest.get("/cart").headers["Cache-Control"] == "private, no-store"


def test_production_sends_no_page_cache_header(app_with, shoe, monkeypatch):
    monkeypatch.setenv("STOREFRONT_ENV", "production")
    assert Config().PAGE_CACHE_HEADER is False
    quiet = app_with(PAGE_CACHE_HEADER=False)

    rendered = quiet.test_client().get("/products")
    stored = quiet.test_client().get("/products")

    assert "X-Page-Cache" not in rendered.headers and "X-Page-Cache" not in stored.headers
    assert stored.headers.get("ETag")  # it was the stored page
