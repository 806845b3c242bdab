"""A shopper who uses only the keyboard can find a product, add it to the cart and check out."""

from __future__ import annotations

from playwright.sync_api import expect

from . import steps

FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const label = (el.labels && el.labels[0]) ? el.labels[0].textContent : "";
  const name = (el.getAttribute("aria-label") || label || el.textContent || el.value || "");
  const style = getComputedStyle(el);
  return {
    name: name.replace(/\\s+/g, " ").trim(),
    tag: el.tagName.toLowerCase(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}
"""


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the element named `name` has the focus, and check the focus shows."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["name"].startswith(name):
            assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"
            return
        seen.append(focused and focused["name"][:40])
    raise AssertionError(f"Tab never reached {name!r}; focus went through {seen}")


def type_into(page, label: str, text: str) -> None:
    """Tab to the field labelled `label` and type into it."""
    tab_to(page, label)
    page.keyboard.type(text)


def test_shopper_adds_to_cart_and_checks_out_with_the_keyboard_alone(open_shop):
    shop = open_shop("desktop")
    page = shop.page
    shop.goto("/c/running")

    tab_to(page, "Swift Road")  # the product card's link
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Swift Road")
    tab_to(page, "Add to cart")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Added 1 × ")).to_be_visible()

    tab_to(page, "Cart")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    tab_to(page, "Checkout")
    page.keyboard.press("Enter")

    # Checkout asks a guest to log in; a new customer registers from there.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    tab_to(page, "Create an account")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    type_into(page, "Name", "Kim Keys")
    type_into(page, "Email", steps.new_email("kim.keys"))
    type_into(page, "Password", steps.PASSWORD)
    type_into(page, "Password again", steps.PASSWORD)
    page.keyboard.press("Enter")

    # Registration answers "check your inbox"; the new customer logs in from there.
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    tab_to(page, "Log in now")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    type_into(page, "Email", steps.new_email("kim.keys"))
    type_into(page, "Password", steps.PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Checkout", level=1)).to_be_visible()
    type_into(page, "Full name", "Kim Keys")
    type_into(page, "Street and number", "1 Keyboard Lane")
    type_into(page, "City", "Leeds")
    type_into(page, "Postal code", "LS1 1AA")
    type_into(page, "Country", "United Kingdom")
    tab_to(page, "Review your order")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review your order")).to_be_visible()
    tab_to(page, "Place order")
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    shop.check("order confirmation (keyboard)")
