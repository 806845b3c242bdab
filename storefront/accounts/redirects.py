"""Follow a `next` parameter only when it is a relative path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


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
