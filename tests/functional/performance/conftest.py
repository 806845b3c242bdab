"""A cached guest page with a form, shared by the page-cache tests."""

from __future__ import annotations

import re

import pytest
from flask import flash, render_template_string, session

from storefront.catalog.page_cache import cached_for_guests

FORM_PAGE = """<form method="post" action="/_test/add">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}"><button>Add</button></form>
<p>render {{ renders }}</p>"""


@pytest.fixture
def cached_page(app):
    """Mount a cached guest page with an add-to-cart-like form, counting its renders."""
    renders = {"count": 0}

    @app.get("/_test/page")
    @cached_for_guests(timeout=60)
    def _page():
        renders["count"] += 1
        return render_template_string(FORM_PAGE, renders=renders["count"])

    @app.post("/_test/add")
    def _add():
        return "added"

    @app.get("/_test/flash")
    def _flash():
        flash("Saved.")
        return "flashed"

    @app.get("/_test/cart-token")
    def _cart_token():
        session["cart_token"] = "guest-cart"
        return "cart"

    return renders


def form_token(html: str) -> str:
    """Return the CSRF token in the first form of a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
