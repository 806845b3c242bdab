"""Checkout helpers: the cart helpers plus a customer with a filled cart and a way to check out."""

from __future__ import annotations

import re

import pytest

from tests.functional.cart import conftest as cart_fixtures

# The cart pages' `add` fixture, shared (`post` and isolated clients come from tests/conftest.py).
add = cart_fixtures.add

ADDRESS_FORM = {
    "address_choice": "new",
    "full_name": "Ada Customer",
    "street": "1 Shoe Lane",
    "city": "Leeds",
    "postal_code": "LS1 1AA",
    "country": "United Kingdom",
    "phone": "",
    "shipping_method": "standard",
    "payment_method": "bank_transfer",
}


def checkout_token_in(response) -> str:
    """Return the checkout token the review page put in its Place order form."""
    found = re.search(r'name="checkout_token" value="([^"]+)"', response.get_data(as_text=True))
    assert found, "the review page has no checkout token"
    return found.group(1)


@pytest.fixture
def review(post):
    """Return a function that submits the checkout details and returns the review page."""

    def send(details=None, *, on=None):
        return post("/checkout", {**ADDRESS_FORM, **(details or {})}, on=on)

    return send


@pytest.fixture
def check_out(post, review):
    """Return a function that goes through details → review → place; returns the place response."""

    def send(details=None, *, on=None, extra=None, **kwargs):
        page = review(details, on=on)
        assert page.status_code == 200, page.get_data(as_text=True)[:2000]
        data = {**ADDRESS_FORM, **(details or {}), "checkout_token": checkout_token_in(page)}
        return post("/checkout/place", {**data, **(extra or {})}, on=on, **kwargs)

    return send
