"""The shop owner's day in the back office, on a phone and on a desktop."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from . import steps
from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD


def _product_photo(path) -> str:
    """Draw a small PNG product photo and return its path."""
    image = Image.new("RGB", (640, 480), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((120, 220, 520, 360), radius=40, fill=(25, 135, 84))
    draw.rectangle((110, 350, 530, 375), fill=(250, 250, 250))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _place_an_order(shop) -> str:
    """Buy one pair through the shop, as the logged-in person; return the order reference."""
    page = shop.page
    shop.goto("/c/boots")
    page.get_by_role("link", name=re.compile(r"^Alpine Hiker")).first.click()
    steps.pick_size(shop, at_least=2)
    steps.add_to_cart(shop, 1)
    steps.open_cart(shop)
    page.get_by_role("link", name="Checkout").click()
    steps.fill_address(shop, "Olive Owner")
    page.get_by_role("button", name="Review your order").click()
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    return page.locator("[data-reference]").inner_text().strip()


def test_owner_adds_prices_stocks_ships_and_deletes(shop, tmp_path):
    page = shop.page
    product_name = f"Test Trail Blazer {shop.viewport.title()}"
    sku = f"TTB-{shop.viewport[:2].upper()}-42"

    shop.goto("/")
    steps.log_in(shop, ADMIN_EMAIL, ADMIN_PASSWORD)
    reference = _place_an_order(shop)

    steps.open_user_menu(shop, "Owner").get_by_role("link", name="Back office").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    shop.check("admin dashboard", readme="admin-dashboard" if shop.viewport == "desktop" else None)
    back_office = page.get_by_role("navigation", name="Back office")

    # A new product with a size, then a picture.
    back_office.get_by_role("link", name="Products").click()
    expect(page.get_by_role("heading", name="Products", level=1)).to_be_visible()
    shop.check("admin products")
    page.get_by_role("link", name="Add product").click()
    expect(page.get_by_role("heading", name="Add product")).to_be_visible()
    shop.check("admin add product")
    page.get_by_label("Name").fill(product_name)
    page.get_by_label("Description").fill("A fast, light trail shoe for the browser tests.")
    page.get_by_label("Price").fill("89.00")
    page.get_by_label("Category").select_option(label="Trail")
    page.get_by_label("SKU of the first option").fill(sku)
    page.get_by_label("Size of the first option").fill("42")
    page.get_by_label("Initial stock").fill("5")
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_text(f"“{product_name}” was added.")).to_be_visible()
    edit_url = page.url
    shop.check("admin edit product")

    page.get_by_label("Images").set_input_files(_product_photo(tmp_path / "blazer.png"))
    page.get_by_label("Alt text").first.fill(f"{product_name}, side view")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 image(s) added.")).to_be_visible()
    expect(page.get_by_role("img", name=f"{product_name}, side view")).to_be_visible()
    shop.check("admin product with image")

    # The shop shows it, with its picture and price.
    steps.search(shop, product_name)
    page.get_by_role("link", name=product_name).click()
    expect(page.get_by_role("heading", name=product_name, level=1)).to_be_visible()
    expect(page.get_by_role("img", name=f"{product_name}, side view").first).to_be_visible()
    expect(page.locator(".price-lg")).to_contain_text("89.00")
    shop.check("new product in the shop")

    # A new price.
    page.goto(edit_url)
    page.get_by_label("Price", exact=True).fill("79.50")
    page.get_by_role("button", name="Save product").click()
    expect(page.get_by_text("The product was saved.")).to_be_visible()
    product_url = shop.url("/p/" + page.get_by_label("Slug").input_value())
    page.goto(product_url)
    expect(page.locator(".price-lg")).to_contain_text("79.50")

    # A delivery comes in.
    page.goto(edit_url)
    back_office = page.get_by_role("navigation", name="Back office")
    back_office.get_by_role("link", name="Inventory").click()
    expect(page.get_by_role("heading", name="Inventory")).to_be_visible()
    shop.check("admin inventory")
    page.get_by_label("Product or SKU").fill(sku)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("row").filter(has_text=sku).get_by_role(
        "link", name="Change / history"
    ).click()
    expect(page.locator("[data-stock]")).to_have_text("5")
    shop.check("admin stock of one size")
    page.get_by_label("Quantity received").fill("10")
    receive = page.locator("form").filter(has=page.get_by_role("button", name="Receive"))
    receive.get_by_label("Reason").fill("Delivery from the supplier")
    receive.get_by_role("button", name="Receive").click()
    expect(page.locator("[data-stock]")).to_have_text("15")

    # The order is paid, then shipped.
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", name="Orders", level=1)).to_be_visible()
    shop.check("admin orders")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pending payment")
    shop.check("admin order")
    page.get_by_role("button", name="Mark paid").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paid")
    page.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shipped")
    shop.check("admin order shipped")

    # The product goes, after the confirmation modal.
    page.goto(edit_url)
    page.get_by_role("button", name="Delete product").click()
    dialog = page.get_by_role("dialog", name=f"Delete {product_name}?")
    expect(dialog).to_be_visible()
    shop.check("admin delete product modal")
    dialog.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name="Products", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=product_name)).to_have_count(0)
    response = page.goto(product_url)
    assert response.status == 404
    shop.events.clear()  # the 404 was asked for
