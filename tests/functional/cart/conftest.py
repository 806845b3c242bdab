"""Helpers for cart and checkout pages: isolated requests, posting with CSRF, reading pages."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def add(post):
    """Return a function that adds a variant to a browser's cart through the real form."""

    def send(variant_id, quantity="1", *, on=None, **extra):
        data = {"variant_id": str(variant_id), "quantity": quantity, **extra}
        return post("/cart/add", data, on=on)

    return send


def page_text(response) -> str:
    """Return the page's visible text with tags stripped and spaces collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    return re.sub(r"\s+", " ", text)


def cart_lines(db) -> list[tuple[int, int]]:
    """Return every cart line in the database as (variant id, quantity)."""
    from sqlalchemy import select

    from storefront.cart.models import CartLine

    db.session.rollback()
    return [
        (line.variant_id, line.quantity)
        for line in db.session.scalars(select(CartLine).order_by(CartLine.id))
    ]
