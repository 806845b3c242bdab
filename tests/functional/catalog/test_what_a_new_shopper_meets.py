"""Small things a new shopper met: a typed address in capitals, the SKU search engines see,
and markup the Nu HTML checker accepts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser


def test_a_product_address_typed_in_capitals_redirects_for_good_to_the_lowercase_one(
    db, client, make
):
    make.product("Swift Road Black", slug="swift-road-black")

    response = client.get("/p/SWIFT-ROAD-BLACK?ref=mail")

    assert response.status_code == 301
    assert response.headers["Location"] == "/p/swift-road-black?ref=mail"
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_category_address_in_another_case_redirects_to_the_lowercase_one(db, client, make):
    make.category("Running", slug="running")
    response = client.get("/c/Running")
    assert response.status_code == 301 and response.headers["Location"] == "/c/running"


def test_the_product_data_for_search_engines_names_the_size_the_page_shows(db, client, make):
    shoe = make.product("Gone Small", slug="gone-small", sizes={"41": 0, "42": 3})
    sold_out, shown = shoe.variants

    html = client.get("/p/gone-small").get_data(as_text=True)

    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["sku"] == shown.sku != sold_out.sku
    assert f"<span data-sku>{shown.sku}</span>" in html


class _MarkupRules(HTMLParser):
    """The two rules of the Nu HTML checker that catalogue pages broke."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._required_select: str | None = None
        self._first_option = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "radio" and "autocomplete" in attributes:
            self.problems.append(f"radio {attributes.get('id')} has autocomplete")
        if tag == "select" and "required" in attributes and "multiple" not in attributes:
            self._required_select, self._first_option = attributes.get("id"), True
        elif tag == "option" and self._first_option:
            self._first_option = False
            if attributes.get("value"):
                self.problems.append(f"required select {self._required_select} preselects")

    def handle_endtag(self, tag):
        if tag == "select":
            self._required_select, self._first_option = None, False


def test_catalogue_pages_keep_the_html_rules_the_nu_checker_reported(db, client, make):
    shelf = make.category("Trail", slug="trail")
    make.product("Ridge", slug="ridge", category=shelf, sizes={"41": 2, "42": 0, "43": 5})
    make.product("Sock", slug="sock", category=shelf, sizes={"": 4})

    for url in ("/", "/products", "/c/trail", "/search?q=ridge", "/p/ridge"):
        response = client.get(url)
        assert response.status_code == 200
        checker = _MarkupRules()
        checker.feed(response.get_data(as_text=True))
        assert checker.problems == [], url
    # The card's size select offers only sizes in stock and starts on the first: one click adds.
    listing = client.get("/products").get_data(as_text=True)
    assert re.search(
        r'<select[^>]*name="variant_id">\s*<option value="\d+">Size 41</option>', listing
    )
