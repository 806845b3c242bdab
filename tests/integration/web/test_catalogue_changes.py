"""What a guest sees when the owner changes the catalogue: the change, at once, on every page.

Each page is first visited twice, so it is stored; the guest after the change must see the new
catalogue all the same.
"""

from __future__ import annotations

import pytest

from storefront.cart.owners import CartOwner
from storefront.cart.services import add_to_cart
from storefront.orders.placement import ShippingAddress, new_checkout_token, place_order
from tests.functional.performance.conftest import from_store, guest_visit


def _stored(app, url: str) -> str:
    """Visit `url` until it is served from the page store; return the page."""
    guest_visit(app, url)
    page = guest_visit(app, url)
    assert from_store(page), f"{url} was not stored"
    return page.get_data(as_text=True)


@pytest.fixture
def shoe(db, make):
    road = make.category(name="Road", slug="road")
    return make.product(
        name="Trail Runner",
        slug="trail-runner",
        price_cents=8900,
        category=road,
        sizes={"42": 5},
        description="Grippy soles for muddy paths.",
    )


PAGES = ["/", "/products", "/c/road", "/search?q=trail", "/p/trail-runner"]


def test_a_new_price_set_in_the_back_office_shows_at_once_on_every_page(app, admin_client, shoe):
    for url in PAGES:
        assert "€89.00" in _stored(app, url)

    saved = admin_client.post(
        f"/admin/products/{shoe.id}",
        data={
            "name": "Trail Runner",
            "slug": "trail-runner",
            "description": shoe.description,
            "base_price": "79.00",
            "category_id": str(shoe.category_id),
            "is_active": "y",
        },
    )
    assert saved.status_code == 302

    for url in PAGES:
        page = guest_visit(app, url).get_data(as_text=True)
        assert "€79.00" in page and "€89.00" not in page, url


def test_a_new_category_appears_in_every_pages_menu_at_once(app, admin_client, shoe):
    for url in PAGES:
        assert "Trail shoes" not in _stored(app, url)

    added = admin_client.post("/admin/categories", data={"name": "Trail shoes", "slug": "trail"})
    assert added.status_code == 302

    for url in PAGES:
        page = guest_visit(app, url).get_data(as_text=True)
        assert 'href="/c/trail"' in page and "Trail shoes" in page, url


def test_a_product_taken_offline_disappears_from_the_lists_and_its_page(app, admin_client, shoe):
    for url in PAGES:
        _stored(app, url)

    admin_client.post(
        f"/admin/products/{shoe.id}",
        data={
            "name": "Trail Runner",
            "slug": "trail-runner",
            "description": shoe.description,
            "base_price": "89.00",
            "category_id": str(shoe.category_id),
        },
    )

    for url in PAGES[:-1]:
        assert "Trail Runner" not in guest_visit(app, url).get_data(as_text=True), url
    assert guest_visit(app, "/p/trail-runner").status_code == 404


def _buy(db, make, variant_id: int, quantity: int) -> None:
    buyer = make.user()
    add_to_cart(CartOwner.user(buyer.id), variant_id, quantity)
    address = ShippingAddress("Ada Customer", "1 Shoe Lane", "Leeds", "LS1 1AA", "United Kingdom")
    place_order(buyer.id, new_checkout_token(), address, "standard", "cod")


def test_a_product_that_sells_out_disappears_from_in_stock_only_lists(app, db, make, shoe):
    in_stock_only = ["/products?in_stock=1", "/c/road?in_stock=1", "/search?q=trail&in_stock=1"]
    for url in in_stock_only:
        assert "Trail Runner" in _stored(app, url)

    _buy(db, make, shoe.variants[0].id, 5)  # the last five pairs

    for url in in_stock_only:
        assert "Trail Runner" not in guest_visit(app, url).get_data(as_text=True), url
    assert "Sold out" in guest_visit(app, "/p/trail-runner").get_data(as_text=True)


def test_a_stock_change_no_guest_can_see_keeps_the_stored_pages(app, admin_client, make):
    plenty = make.product(name="Plenty Runner", slug="plenty-runner", sizes={"42": 500})
    urls = ["/products", "/p/plenty-runner"]
    before = {url: _stored(app, url) for url in urls}

    written_off = admin_client.post(
        f"/admin/inventory/{plenty.variants[0].id}/write_off",
        data={"write_off-quantity": "1", "write_off-note": "Scuffed in the window"},
    )
    assert written_off.status_code == 302
    assert "stock is now 499" in admin_client.get(written_off.location).get_data(as_text=True)

    for url in urls:
        page = guest_visit(app, url)
        assert from_store(page), url
        assert page.get_data(as_text=True) == before[url]


def test_a_stock_change_a_guest_can_see_retires_the_stored_pages(app, admin_client, make):
    low = make.product(name="Last Runner", slug="last-runner", sizes={"42": 4})
    assert "Only 3 left" not in _stored(app, "/p/last-runner")

    admin_client.post(
        f"/admin/inventory/{low.variants[0].id}/write_off",
        data={"write_off-quantity": "1", "write_off-note": "Scuffed in the window"},
    )

    page = guest_visit(app, "/p/last-runner")
    assert not from_store(page)
    assert "Only 3 left" in page.get_data(as_text=True)
