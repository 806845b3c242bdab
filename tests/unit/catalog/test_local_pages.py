"""Each process's recent pages: most recently used kept, expired ones gone."""

from __future__ import annotations

from unittest import mock

from storefront.catalog.page_cache import LocalPages


def test_the_least_recently_used_page_is_forgotten_first():
    pages = LocalPages(capacity=2)
    pages.set("list", ("list page",))
    pages.set("product", ("product page",))
    assert pages.get("list") == ("list page",)  # now the more recently used
    pages.set("search", ("search page",))
    assert pages.get("product") is None
    assert pages.get("list") == ("list page",)
    assert pages.get("search") == ("search page",)


def test_a_page_is_forgotten_once_its_timeout_has_passed():
    pages = LocalPages(capacity=4)
    with mock.patch("storefront.catalog.page_cache.time.monotonic", return_value=1000.0):
        pages.set("home", ("home page",), timeout=300)
        pages.set("kept", ("kept page",), timeout=None)
    with mock.patch("storefront.catalog.page_cache.time.monotonic", return_value=1299.0):
        assert pages.get("home") == ("home page",)
    with mock.patch("storefront.catalog.page_cache.time.monotonic", return_value=1301.0):
        assert pages.get("home") is None
        assert pages.get("kept") == ("kept page",)


def test_a_hit_hands_out_the_stored_entry_itself_not_a_copy():
    pages = LocalPages(capacity=1)
    entry = (200, "text/html", (b"<p>page</p>",), None, 0)
    pages.set("page", entry)
    assert pages.get("page") is entry
