"""Money as integer minor units (cents), formatted only at the edge."""

from __future__ import annotations

import re

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF ", "SEK": "kr "}

_AMOUNT = re.compile(r"^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$")


def format_money(cents: int | None, currency: str = "EUR") -> str:
    """Return cents as a display string such as '€1,234.50'."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, minor = divmod(abs(int(cents)), 100)
    symbol = CURRENCY_SYMBOLS.get(currency.upper(), currency.upper() + " ")
    return f"{sign}{symbol}{whole:,}.{minor:02d}"


def format_amount(cents: int) -> str:
    """Return cents as a plain decimal string such as '1234.50' (for forms and CSV)."""
    sign = "-" if cents < 0 else ""
    whole, minor = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{minor:02d}"


def parse_amount(text: str | None) -> int | None:
    """Return the cents in a decimal string such as '12.5' or '12,50', or None if malformed."""
    if text is None:
        return None
    match = _AMOUNT.match(str(text))
    if not match:
        return None
    whole, minor = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(whole) * 100 + int(minor)
