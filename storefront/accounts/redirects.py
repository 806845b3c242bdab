"""Follow a `next` parameter only when it is a relative path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next_url(value: str | None) -> str | None:
    """Return `value` if it is a path on this site (e.g. `/cart?x=1`), otherwise None."""
    if not value or len(value) > 2000:
        return None
    # Browsers ignore tabs and newlines and treat a backslash like a slash, so
    # "/\evil.example" or "/\t/evil.example" would leave the site.
    if "\\" in value or any(ord(char) < 32 or ord(char) == 127 for char in value):
        return None
    if not value.startswith("/") or value.startswith("//"):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def return_path_after_login() -> str | None:
    """Return where to go after logging in: this page for a GET, else the page posted from.

    A POST cannot be repeated by a redirect, so sending the visitor back to a POST-only URL
    would end in a 405; the page the form was on (the Referer, if on this site) is the right
    place to return to.
    """
    if request.method in {"GET", "HEAD"}:
        return safe_next_url(request.full_path.rstrip("?"))
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return safe_next_url(path)
