"""The cart, the review page and the placed order show the same totals: one quote for all three."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.money import format_money
from storefront.orders.models import Order

from .conftest import ADDRESS_FORM, checkout_token_in


def _shown_total(response) -> str:
    found = re.search(r"data-total>([^<]+)<", response.get_data(as_text=True))
    assert found, "the page shows no total"
    return found.group(1).strip()


@pytest.fixture
def ada(db, make, client, login_as):
    person = make.user(email="ada@example.com", name="Ada")
    login_as(client, person)
    return person


@pytest.mark.parametrize(
    ("quantity", "method", "total"),
    [
        ("1", "standard", "€49.99"),  # €45.00 + €4.99
        ("3", "standard", "€135.00"),  # free above €100
        ("3", "express", "€144.99"),  # express is never free
    ],
)
def test_the_customer_is_charged_exactly_the_total_the_review_page_showed(
    client, db, make, add, review, post, ada, quantity, method, total
):
    shoe = make.product(name="Trail Runner", price_cents=4500, sizes={"42": 9})
    add(shoe.variants[0].id, quantity)

    page = review({"shipping_method": method})
    assert _shown_total(page) == total
    data = {**ADDRESS_FORM, "shipping_method": method, "checkout_token": checkout_token_in(page)}
    assert post("/checkout/place", data).status_code == 302

    db.session.rollback()
    order = db.session.scalars(select(Order)).one()
    assert format_money(order.total_cents, order.currency) == total
    assert order.subtotal_cents + order.shipping_cents == order.total_cents


def test_the_cart_estimate_is_the_review_total_with_the_cheapest_shipping(
    client, db, make, add, review, ada
):
    shoe = make.product(name="Trail Runner", price_cents=4500, sizes={"42": 9})
    add(shoe.variants[0].id, "1")

    assert _shown_total(client.get("/cart")) == "€49.99"
    assert _shown_total(review({"shipping_method": "standard"})) == "€49.99"


def test_a_sale_price_is_the_same_on_the_list_the_product_page_the_cart_and_the_order(
    client, db, make, add, review, post, ada
):
    shoe = make.product(
        name="Sale Runner", price_cents=8000, sizes={"42": 5}, price_overrides={"42": 6000}
    )
    assert "€60.00" in client.get("/products").get_data(as_text=True)
    assert "€60.00" in client.get(f"/p/{shoe.slug}").get_data(as_text=True)
    add(shoe.variants[0].id, "1")
    cart = client.get("/cart").get_data(as_text=True)
    assert "€60.00" in cart and "€80.00" not in cart

    page = review({"shipping_method": "express"})
    assert _shown_total(page) == "€69.99"
    data = {**ADDRESS_FORM, "shipping_method": "express", "checkout_token": checkout_token_in(page)}
    post("/checkout/place", data)
    db.session.rollback()
    [line] = db.session.scalars(select(Order)).one().lines
    assert line.unit_price_cents == 6000
