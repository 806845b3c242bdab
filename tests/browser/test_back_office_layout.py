"""The back office on a laptop screen: every table fits the box it sits in."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from . import steps
from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD

LONG_EMAIL = "alexandra.konstantinopoulou-whitfield@example-logistics.co.uk"


def _order_as_a_customer_with_a_long_email(open_shop) -> str:
    shop = open_shop("desktop")
    shop.goto("/")
    steps.register(shop, "Alexandra Whitfield", LONG_EMAIL)
    shop.goto("/c/boots")
    shop.page.get_by_role("link", name=re.compile(r"^Alpine Hiker")).first.click()
    steps.pick_size(shop, at_least=2)
    steps.add_to_cart(shop, 1)
    steps.open_cart(shop)
    return steps.check_out(shop, "Alexandra Whitfield")


def test_the_dashboards_latest_orders_show_every_total_at_1366_pixels(open_shop):
    reference = _order_as_a_customer_with_a_long_email(open_shop)
    shop = open_shop("desktop")  # 1366 × 768
    shop.goto("/")
    steps.log_in(shop, ADMIN_EMAIL, ADMIN_PASSWORD)
    shop.goto("/admin/")
    section = shop.page.locator(
        "section", has=shop.page.get_by_role("heading", name="Latest orders")
    )
    expect(section.get_by_role("link", name=reference)).to_be_visible()

    fit = section.evaluate(
        """(section) => {
          const box = section.getBoundingClientRect();
          const scroller = section.querySelector(".table-responsive");
          const headers = [...section.querySelectorAll("th")];
          const total = headers.find((th) => th.textContent === "Total");
          return {
            boxRight: box.right,
            totalRight: total.getBoundingClientRect().right,
            scrollWidth: scroller.scrollWidth,
            clientWidth: scroller.clientWidth,
          };
        }"""
    )
    assert fit["scrollWidth"] <= fit["clientWidth"], fit  # nothing hidden behind a scroll bar
    assert fit["totalRight"] <= fit["boxRight"] + 0.5, fit
