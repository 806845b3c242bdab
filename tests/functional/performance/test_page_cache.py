"""Stored guest pages: rendered once, then served to the next guests until the catalogue changes."""

from __future__ import annotations

import pytest

from storefront.inventory.services import write_off_stock
from tests.functional.performance.conftest import from_store, guest_visit


@pytest.fixture
def shoe(db, make):
    """Return an active product in stock, on the list page."""
    return make.product(name="Trail Runner", price_cents=8900, sizes={"42": 5, "43": 5})


def test_the_second_guest_gets_the_page_the_first_guest_caused_to_be_stored(app, shoe):
    first = guest_visit(app, "/products")
    second = guest_visit(app, "/products")

    assert not from_store(first) and from_store(second)
    assert second.get_data() == first.get_data()
    assert "Trail Runner" in second.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/products", "/search?q=trail", "/c/road"])
def test_every_catalogue_page_is_stored_for_guests(app, db, make, url):
    make.product(name="Trail Runner", category=make.category(name="Road", slug="road"))
    guest_visit(app, url)

    assert from_store(guest_visit(app, url))


def test_a_product_page_is_stored_for_guests(app, shoe):
    guest_visit(app, f"/p/{shoe.slug}")

    assert from_store(guest_visit(app, f"/p/{shoe.slug}"))


def test_a_page_is_stored_once_it_has_been_sent_not_before(app, shoe):
    # Compressing and storing the page must not hold up the guest who waits for it.
    first = app.test_client().get("/products", buffered=False)
    assert "Trail Runner" in first.get_data(as_text=True)
    assert not from_store(guest_visit(app, "/products"))
    first.close()  # what a server does once the response is sent

    assert from_store(guest_visit(app, "/products"))


def test_a_different_query_string_is_a_different_page(app, shoe):
    guest_visit(app, "/products?sort=name")

    assert not from_store(guest_visit(app, "/products?sort=price_asc"))
    assert from_store(guest_visit(app, "/products?sort=name"))


def test_a_missing_product_is_not_stored(app, db):
    guest_visit(app, "/p/no-such-shoe")

    second = guest_visit(app, "/p/no-such-shoe")
    assert second.status_code == 404 and not from_store(second)


def test_a_commit_that_changes_nothing_in_the_catalogue_keeps_the_stored_pages(app, db, shoe):
    # The owner's edit is one commit; later commits of the same session (an audit entry, a
    # login) change no page and must not retire the pages stored since.
    shoe.description = "Now waterproof."
    db.session.commit()
    guest_visit(app, "/products")
    db.session.commit()
    db.session.commit()

    assert from_store(guest_visit(app, "/products"))


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
    app, db, make, stock, threshold, sold, retired
):
    product = make.product(sizes={"42": stock}, low_stock_threshold=threshold)
    url = f"/p/{product.slug}"
    guest_visit(app, url)

    write_off_stock(None, product.variants[0].id, sold, "Damaged in the stockroom")

    assert from_store(guest_visit(app, url)) is not retired


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
    app, db, make, sibling_threshold, retired
):
    shoe = make.product(sizes={"42": 500, "43": 5}, low_stock_threshold=3)
    shoe.variants[1].low_stock_threshold = sibling_threshold
    make.product(sizes={"42": 5}, low_stock_threshold=5000)  # another product's is not this one's
    db.session.commit()
    url = f"/p/{shoe.slug}"
    guest_visit(app, url)
    assert from_store(guest_visit(app, url))

    _order_one(db, make, shoe.variants[0].id)

    assert from_store(guest_visit(app, url)) is not retired
