"""A shopper's whole visit, on a phone and on a desktop, and the core of it without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from . import steps


def test_shopper_registers_buys_and_deletes_the_account(shop):
    page = shop.page
    name = f"Sam {shop.viewport.title()}"
    email = steps.new_email(f"sam.{shop.viewport}")

    shop.goto("/")
    steps.register(shop, name, email)
    shop.check("home signed in")
    steps.open_user_menu(shop, name).get_by_role("link", name="My orders").click()
    expect(page.get_by_text("No orders yet.")).to_be_visible()
    shop.check("order history empty")

    steps.open_category(shop, "Trail")
    shop.check("category")

    steps.search(shop, "Ridge Runner")
    shop.check("search results")
    page.get_by_role("link", name=re.compile(r"^Ridge Runner")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ridge Runner")
    shop.check("product", readme="product" if shop.viewport == "desktop" else None)

    size = steps.pick_size(shop)
    first = steps.add_to_cart(shop, 2)
    shop.check("product added")

    # A second product from the related shelf, added straight from its card.
    related = page.get_by_role("region", name=re.compile("^More from"))
    related.get_by_role("button", name=re.compile(r"^Add .* to cart$")).first.click()
    expect(page.get_by_text(re.compile(r"Added 1 × "))).to_be_visible()

    steps.open_cart(shop)
    rows = page.get_by_role("row")
    expect(rows.filter(has_text=first)).to_contain_text(f"Size {size}")
    expect(
        page.get_by_role("row").filter(has=page.get_by_role("button", name=re.compile("^Remove")))
    ).to_have_count(2)
    shop.check("cart", readme="cart" if shop.viewport == "desktop" else None)

    first_row = rows.filter(has_text=first)
    first_row.get_by_label(f"Quantity of {first}").fill("3")
    first_row.get_by_role("button", name="Update").click()
    expect(page.get_by_role("alert")).to_contain_text("quantity set to 3")
    shop.check("cart quantity changed")

    other_row = rows.filter(has=page.get_by_role("button", name="Remove")).filter(
        has_not_text=first
    )
    other_row.get_by_role("button", name=re.compile("^Remove")).click()
    expect(page.get_by_text(re.compile("was removed from your cart"))).to_be_visible()
    expect(page.get_by_label(f"Quantity of {first}")).to_have_value("3")
    shop.check("cart line removed")

    reference = steps.check_out(shop, name)

    steps.open_user_menu(shop, name).get_by_role("link", name="My orders").click()
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    shop.check("order history")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    shop.check("order detail")

    steps.log_out(shop, name)
    steps.log_in(shop, email)
    # An open order keeps the account open: the customer cancels it, then deletes the account.
    steps.open_user_menu(shop, name).get_by_role("link", name="My orders").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Cancel this order").click()
    expect(page.locator("[data-status]")).to_have_text("Cancelled")
    steps.delete_account(shop, name)
    shop.check("home after account deleted")


@pytest.fixture(scope="session")
def nojs_customer() -> dict:
    """One customer for both no-JavaScript runs: the first registers, the second logs in."""
    return {"name": "Noa Nojs", "email": steps.new_email("noa.nojs"), "registered": False}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_shopper_browses_adds_to_cart_and_checks_out_without_javascript(
    open_shop, nojs_customer, viewport
):
    shop = open_shop(viewport, javascript=False)
    page = shop.page
    name = nojs_customer["name"]

    shop.goto("/")
    shop.check("home")
    if nojs_customer["registered"]:
        steps.log_in(shop, nojs_customer["email"])
    else:
        steps.register(shop, name, nojs_customer["email"])
        nojs_customer["registered"] = True

    steps.open_category(shop, "Casual")
    shop.check("category")
    page.get_by_role("link", name=re.compile(r"^City Walker")).first.click()
    shop.check("product")
    steps.pick_size(shop)
    product = steps.add_to_cart(shop, 2)

    steps.open_cart(shop)
    expect(page.get_by_label(f"Quantity of {product}")).to_have_value("2")
    shop.check("cart")
    reference = steps.check_out(shop, name)
    assert reference


def test_a_guest_adds_to_cart_from_a_catalogue_page_served_compressed_from_the_cache(open_shop):
    open_shop().goto("/products")  # the first guest's visit stores the page
    shop = open_shop()
    response = shop.goto("/products")
    assert response.headers["x-page-cache"] == "hit"
    assert response.headers["content-encoding"] in ("br", "gzip")  # Chromium accepts both
    shop.check("catalogue from the page cache")
    shop.page.get_by_role("button", name=re.compile(r"^Add .* to cart$")).first.click()
    expect(shop.page.get_by_text(re.compile(r"Added 1 × "))).to_be_visible()


def test_without_javascript_the_delete_button_leads_to_a_page_that_deletes_the_account(
    open_shop,
):
    shop = open_shop("desktop", javascript=False)
    page = shop.page
    shop.goto("/")
    steps.register(shop, "Dee Nojs", steps.new_email("dee.nojs"))

    shop.goto("/account")
    page.get_by_role("button", name="Delete my account…").click()
    expect(page).to_have_url(re.compile(r"/account/delete$"))
    page.get_by_label("Your password").fill(steps.PASSWORD)
    shop.check("account delete page")
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text(re.compile("account (is|has been) deleted", re.I))).to_be_visible()
    expect(shop.nav().get_by_role("link", name="Log in")).to_be_visible()
