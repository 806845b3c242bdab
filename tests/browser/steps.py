"""Steps the journeys share, written the way a person uses the shop: roles, labels, text."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .checks import ShopBrowser

PASSWORD = "purple tortoise climbs 7 hills"


def new_email(tag: str) -> str:
    """Return an email address for `tag` (each run has a fresh database, so no clashes)."""
    return f"{tag}@example.com"


def register(shop: ShopBrowser, name: str, email: str, password: str = PASSWORD) -> None:
    """Create an account through the navbar's Register link, then log in from the answer."""
    page = shop.page
    shop.nav().get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    shop.check("register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    shop.check("registration sent")
    page.get_by_role("link", name="Log in now").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Welcome back, {name}!")).to_be_visible()


def log_in(shop: ShopBrowser, email: str, password: str = PASSWORD) -> None:
    """Log in through the navbar's Log in link."""
    page = shop.page
    shop.nav().get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    shop.check("login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(re.compile("You are logged in"))).to_be_visible()


def open_user_menu(shop: ShopBrowser, name: str):
    """Open the navbar's menu under the person's name and return the navbar."""
    nav = shop.nav()
    nav.get_by_role("button", name=name).click()
    return nav


def log_out(shop: ShopBrowser, name: str) -> None:
    """Log out through the menu under the person's name."""
    open_user_menu(shop, name).get_by_role("button", name="Log out").click()
    expect(shop.page.get_by_text("You are logged out.")).to_be_visible()


def delete_account(shop: ShopBrowser, name: str, password: str = PASSWORD) -> None:
    """Delete the account from the account page, confirming in the modal."""
    page = shop.page
    open_user_menu(shop, name).get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", name="Delete account")).to_be_visible()
    shop.check("account")
    page.get_by_role("button", name="Delete my account…").click()
    dialog = page.get_by_role("dialog", name="Delete your account?")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Your password").fill(password)
    shop.check("account delete modal")
    dialog.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text(re.compile("account (is|has been) deleted", re.I))).to_be_visible()
    expect(shop.nav().get_by_role("link", name="Log in")).to_be_visible()


def main_nav(shop: ShopBrowser):
    """Return the main navbar without opening it (the cart link sits outside the menu)."""
    return shop.page.get_by_role("navigation", name="Main")


def open_cart(shop: ShopBrowser) -> None:
    """Go to the cart through the navbar's cart link."""
    main_nav(shop).get_by_role("link", name=re.compile(r"^Cart")).click()
    expect(shop.page.get_by_role("heading", name="Your cart")).to_be_visible()


def open_category(shop: ShopBrowser, name: str) -> None:
    """Open a category from the navbar's Categories menu (the home page's tiles without JS)."""
    page = shop.page
    if shop.javascript:
        nav = shop.nav()
        nav.get_by_role("button", name="Categories").click()
        nav.get_by_role("link", name=name, exact=True).click()
    else:
        shop.goto("/")
        page.get_by_role("link", name=re.compile(rf"^{name}\b")).first.click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def search(shop: ShopBrowser, words: str) -> None:
    """Search the catalogue from the navbar."""
    nav = shop.nav()
    nav.get_by_role("searchbox", name="Search products").fill(words)
    nav.get_by_role("button", name="Search").click()
    expect(shop.page.get_by_role("heading", level=1)).to_contain_text(words)


def pick_size(shop: ShopBrowser, at_least: int = 5) -> str:
    """Choose a size that is in stock (enough for `at_least`) other than the preselected one."""
    sizes = shop.page.get_by_role("group", name="Size").get_by_role("radio")
    fallback = None
    for index in range(sizes.count()):
        radio = sizes.nth(index)
        if radio.is_disabled():
            continue
        if int(radio.get_attribute("data-max-quantity") or 0) < at_least:
            continue
        if radio.is_checked():
            fallback = fallback or radio
            continue
        break
    else:
        assert fallback is not None, "no size with enough stock"
        radio = fallback
    # The sizes look like buttons: the visible label is what a person clicks.
    label = shop.page.locator(f"label[for='{radio.get_attribute('id')}']")
    label.click()
    expect(radio).to_be_checked()
    return label.inner_text().split("·")[0].strip()


def add_to_cart(shop: ShopBrowser, quantity: int) -> str:
    """On a product page, set the quantity and add to the cart; return the product's name."""
    page = shop.page
    name = page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"Added {quantity} × {name}")).to_be_visible()
    return name


def fill_address(shop: ShopBrowser, full_name: str) -> None:
    """Fill the checkout's shipping address."""
    page = shop.page
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Street and number").fill("12 Harbour Street")
    page.get_by_label("City").fill("Bristol")
    page.get_by_label("Postal code").fill("BS1 4DJ")
    page.get_by_label("Country").fill("United Kingdom")


def check_out(shop: ShopBrowser, full_name: str) -> str:
    """From the cart, check out with a new address; return the order's reference."""
    page = shop.page
    page.get_by_role("link", name="Checkout").click()
    expect(page.get_by_role("heading", name="Checkout", level=1)).to_be_visible()
    shop.check("checkout")
    fill_address(shop, full_name)
    page.get_by_role("radio", name=re.compile("^Standard delivery")).check()
    page.get_by_role("radio", name=re.compile("^Pay on delivery")).check()
    page.get_by_role("button", name="Review your order").click()
    expect(page.get_by_role("heading", name="Review your order")).to_be_visible()
    expect(page.get_by_text("12 Harbour Street")).to_be_visible()
    shop.check("checkout review")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    reference = page.locator("[data-reference]").inner_text().strip()
    shop.check("order confirmation")
    return reference
