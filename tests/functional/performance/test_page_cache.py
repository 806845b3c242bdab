"""The guest page cache: shared pages for guests, personal pages never shared."""

from __future__ import annotations

import gzip

import pytest
from flask import render_template_string
from storefront.catalog.page_cache import bump_catalog_version, cached_for_guests

from storefront.inventory.events import stock_changed
from tests.functional.performance.conftest import FORM_PAGE, form_token


def test_a_second_guest_is_served_the_stored_page(app, cached_page):
    first = app.test_client().get("/_test/page")
    second = app.test_client().get("/_test/page")
    assert first.headers["X-Page-Cache"] == "miss"
    assert second.headers["X-Page-Cache"] == "hit"
    assert cached_page["count"] == 1
    assert "render 1" in second.get_data(as_text=True)


def test_a_rendered_page_is_stored_once_it_has_been_sent_not_before(app, cached_page):
    # Gzipping and storing the page must not hold up the visitor who waits for it.
    first = app.test_client().get("/_test/page", buffered=False)
    assert "render 1" in first.get_data(as_text=True)
    assert app.test_client().get("/_test/page").headers["X-Page-Cache"] == "miss"
    first.close()  # what a server does once the response is sent
    assert app.test_client().get("/_test/page").headers["X-Page-Cache"] == "hit"
    assert cached_page["count"] == 2


def test_each_guest_gets_their_own_csrf_token_that_posts(app, cached_page):
    alice, bob = app.test_client(), app.test_client()
    alice_token = form_token(alice.get("/_test/page").get_data(as_text=True))
    bob_page = bob.get("/_test/page")
    bob_token = form_token(bob_page.get_data(as_text=True))
    assert bob_page.headers["X-Page-Cache"] == "hit"
    assert alice_token != bob_token
    assert alice.post("/_test/add", data={"csrf_token": alice_token}).status_code == 200
    assert bob.post("/_test/add", data={"csrf_token": bob_token}).status_code == 200
    assert bob.post("/_test/add", data={"csrf_token": alice_token}).status_code == 400


def test_a_browser_that_accepts_gzip_gets_the_stored_page_gzipped_with_its_own_token(
    app, cached_page
):
    app.test_client().get("/_test/page")  # stored
    browser = app.test_client()
    page = browser.get("/_test/page", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert page.headers["X-Page-Cache"] == "hit"
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    html = gzip.decompress(page.get_data()).decode()
    assert "render 1" in html
    assert browser.post("/_test/add", data={"csrf_token": form_token(html)}).status_code == 200


def test_a_stored_page_holding_a_nul_byte_still_reaches_a_gzip_browser_whole(app, cached_page):
    @app.get("/_test/nul")
    @cached_for_guests(timeout=60)
    def _nul_page():
        return render_template_string(FORM_PAGE + "<p>odd\x00\x00\x00byte</p>", renders=1)

    app.test_client().get("/_test/nul")
    browser = app.test_client()
    page = browser.get("/_test/nul", headers={"Accept-Encoding": "gzip"})
    assert page.headers["X-Page-Cache"] == "hit"
    data = page.get_data()
    if page.headers.get("Content-Encoding") == "gzip":  # Flask-Compress, for a page this size
        data = gzip.decompress(data)
    html = data.decode()
    assert "odd\x00\x00\x00byte" in html
    assert browser.post("/_test/add", data={"csrf_token": form_token(html)}).status_code == 200


def test_a_client_that_refuses_gzip_gets_the_stored_page_uncompressed(app, cached_page):
    app.test_client().get("/_test/page")
    page = app.test_client().get("/_test/page", headers={"Accept-Encoding": "gzip;q=0"})
    assert page.headers["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in page.headers
    assert "render 1" in page.get_data(as_text=True)


def test_a_query_string_is_a_different_page(app, cached_page):
    client = app.test_client()
    client.get("/_test/page?page=1")
    assert client.get("/_test/page?page=2").headers["X-Page-Cache"] == "miss"
    assert cached_page["count"] == 2


@pytest.mark.parametrize("personal_route", ["/_test/flash", "/_test/cart-token"])
def test_a_guest_with_a_flash_or_a_cart_is_never_served_a_shared_page(
    app, cached_page, personal_route
):
    app.test_client().get("/_test/page")
    client = app.test_client()
    client.get(personal_route)
    response = client.get("/_test/page")
    assert "X-Page-Cache" not in response.headers
    assert cached_page["count"] == 2


def test_a_signed_in_customer_is_never_served_a_shared_page(app, db, cached_page, make, login_as):
    app.test_client().get("/_test/page")
    client = app.test_client()
    login_as(client, make.user())
    assert "X-Page-Cache" not in client.get("/_test/page").headers


def test_bumping_the_catalogue_version_retires_every_stored_page(app, cached_page):
    client = app.test_client()
    client.get("/_test/page")
    with app.app_context():
        bump_catalog_version()
    assert client.get("/_test/page").headers["X-Page-Cache"] == "miss"


def test_a_stock_change_retires_stored_pages_after_its_commit(app, db, cached_page, make):
    product = make.product(sizes={"42": 5})
    client = app.test_client()
    client.get("/_test/page")
    assert client.get("/_test/page").headers["X-Page-Cache"] == "hit"
    stock_changed(product.variants[0].id)
    db.session.commit()
    assert client.get("/_test/page").headers["X-Page-Cache"] == "miss"


@pytest.mark.parametrize(
    ("stock", "threshold", "sold", "retired"),
    [
        (500, 3, 1, False),  # 499 left: nothing a guest sees changes
        (150, 3, 1, False),  # still above the cart limit (99) and the threshold
        (100, 3, 1, False),  # 99 left: the quantity limit stays at the cart's 99
        (99, 3, 1, True),  # 98 left: the quantity limit on the product page drops
        (4, 3, 1, True),  # into the "Only 3 left" band
        (1, 3, 1, True),  # sold out
        (150, 200, 1, True),  # a threshold above the stock: the badge shows the count
    ],
)
def test_a_stock_change_retires_stored_pages_only_when_a_guest_could_see_it(
    app, db, cached_page, make, stock, threshold, sold, retired
):
    from storefront.inventory.services import write_off_stock

    product = make.product(sizes={"42": stock}, low_stock_threshold=threshold)
    db.session.commit()
    client = app.test_client()
    client.get("/_test/page")
    write_off_stock(None, product.variants[0].id, sold, "Damaged in the stockroom")
    served = client.get("/_test/page").headers["X-Page-Cache"]
    assert served == ("miss" if retired else "hit")


def _order_one(db, make, variant_id: int) -> None:
    from storefront.cart.owners import CartOwner
    from storefront.cart.services import add_to_cart
    from storefront.orders.placement import ShippingAddress, new_checkout_token, place_order

    buyer = make.user()
    db.session.commit()
    add_to_cart(CartOwner.user(buyer.id), variant_id, 1)
    address = ShippingAddress("Ada Customer", "1 Shoe Lane", "Leeds", "LS1 1AA", "United Kingdom")
    place_order(buyer.id, new_checkout_token(), address, "standard", "cod")


@pytest.mark.all_databases
@pytest.mark.parametrize(
    ("sibling_threshold", "retired"),
    [
        (3, False),  # 499 left of a size: no badge of this product moves
        (1000, True),  # another size's threshold is above 499: the product's badge shows it
    ],
)
def test_an_order_retires_stored_pages_by_its_own_products_threshold_only(
    app, db, cached_page, make, sibling_threshold, retired
):
    shoe = make.product(sizes={"42": 500, "43": 5}, low_stock_threshold=3)
    shoe.variants[1].low_stock_threshold = sibling_threshold
    make.product(sizes={"42": 5}, low_stock_threshold=5000)  # another product's is not this one's
    db.session.commit()
    client = app.test_client()
    client.get("/_test/page")
    assert client.get("/_test/page").headers["X-Page-Cache"] == "hit"

    _order_one(db, make, shoe.variants[0].id)

    served = client.get("/_test/page").headers["X-Page-Cache"]
    assert served == ("miss" if retired else "hit")
