"""Helpers for the account pages: posting forms with a CSRF token, reading flashes."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def log_in(post):
    """Return a function that logs a browser in through the real login form."""

    def submit(email, password, *, on=None, remember=False, **kwargs):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return post("/login", data, on=on, **kwargs)

    return submit


def page_text(response) -> str:
    """Return the page's visible text with tags stripped and spaces collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text).replace("&#39;", "'").replace("&amp;", "&")


def error_beside(response, field_id: str) -> str | None:
    """Return the error text shown beside the field with this id, or None."""
    html = response.get_data(as_text=True)
    found = re.search(rf'id="{re.escape(field_id)}-error">(.*?)</div>', html, flags=re.S)
    return found.group(1).strip().replace("&#39;", "'") if found else None
