"""The shared layout in a real browser: home page, error pages, favicon, health check."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_home_page_shows_the_shop_name_and_products(shop):
    shop.goto("/")
    expect(shop.page).to_have_title(re.compile("Storefront Shoes"))
    expect(shop.page.get_by_role("link", name="Storefront Shoes")).to_be_visible()
    expect(shop.page.get_by_role("heading", level=1)).to_be_visible()
    shop.check("home", readme="home" if shop.viewport == "desktop" else None)


def test_phone_navbar_opens_with_the_toggler(open_shop):
    shop = open_shop("phone")
    shop.goto("/")
    menu = shop.page.locator("#mainNav")
    expect(menu).to_be_hidden()
    shop.page.get_by_role("button", name="Toggle navigation").click()
    expect(menu).to_be_visible()
    expect(shop.page.get_by_role("searchbox", name="Search products")).to_be_visible()


def test_unknown_page_shows_the_404_page_in_the_layout(shop):
    response = shop.goto("/no-such-page")
    assert response.status == 404
    expect(shop.page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(shop.page.get_by_role("link", name="Back to the shop")).to_be_visible()
    shop.check("error 404", allow_status=(404,))


def test_favicon_is_served(shop):
    shop.goto("/")
    href = shop.page.locator("link[rel=icon]").get_attribute("href")
    response = shop.page.request.get(shop.url(href))
    assert response.ok
    assert "svg" in response.headers["content-type"]


def test_health_check_answers_ok(open_shop):
    shop = open_shop()
    response = shop.page.request.get(shop.url("/healthz"))
    assert response.status == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_are_served_with_a_strict_content_security_policy(open_shop):
    shop = open_shop()
    response = shop.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_product_cards_in_a_row_have_equal_heights(open_shop):
    shop = open_shop("desktop")
    shop.goto("/products")
    rows = shop.page.evaluate(
        """() => {
          const rows = {};
          document.querySelectorAll(".product-card").forEach((card) => {
            const box = card.getBoundingClientRect();
            (rows[Math.round(box.top)] ||= []).push(Math.round(box.height));
          });
          return Object.values(rows);
        }"""
    )
    assert len(rows) > 1
    for heights in rows:
        assert max(heights) - min(heights) <= 1, heights


def test_empty_cart_and_empty_search_are_friendly(shop):
    page = shop.page
    shop.goto("/cart")
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()
    expect(page.get_by_role("link", name="Browse the catalogue")).to_be_visible()
    shop.check("empty cart")

    shop.goto("/search?q=zzqx")
    expect(page.get_by_role("heading", name=re.compile("No products match"))).to_be_visible()
    expect(page.get_by_role("link", name="Trail")).to_be_visible()
    shop.check("search without results")
