"""Read page numbers, record ids and dates from text, within what every database can hold.

A value out of range is refused with `InvalidParameter` (a 400 with a clear message) rather than
handed to the database, where SQLite, PostgreSQL and MariaDB would each fail differently.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from storefront.errors import ValidationFailed

MAX_PAGE = 100_000
MAX_RECORD_ID = 2**31 - 1  # an INTEGER primary key on PostgreSQL and MariaDB
# MariaDB's DATETIME holds 1000-01-01 to 9999-12-31; the last day is kept free so that
# "up to and including" a day can be the start of the next one.
MIN_DATE = date(1000, 1, 1)
MAX_DATE = date(9999, 12, 30)
_WHOLE_NUMBER = re.compile(r"[0-9]{1,12}")


class InvalidParameter(ValidationFailed):
    """A query argument or form value is not what the page accepts."""

    code = "invalid_parameter"
    status = 400


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _whole_number(text: str, name: str, low: int, high: int, what: str) -> int:
    if not _WHOLE_NUMBER.fullmatch(text) or not low <= int(text) <= high:
        raise InvalidParameter(f"{what} must be a whole number from {low} to {high}.", field=name)
    return int(text)


def parse_page(value: str | None, name: str = "page") -> int:
    """Return the page number in `value` (1 when empty); refuse anything but 1 to MAX_PAGE."""
    text = _text(value)
    return _whole_number(text, name, 1, MAX_PAGE, "The page number") if text else 1


def parse_record_id(value: str | None, name: str) -> int | None:
    """Return the record id in `value` (None when empty); refuse what no record can have."""
    text = _text(value)
    if not text:
        return None
    return _whole_number(text, name, 1, MAX_RECORD_ID, f"“{name}”")


def parse_date(value: str | None, name: str) -> date | None:
    """Return the YYYY-MM-DD date in `value` (None when empty); refuse others and odd years."""
    text = _text(value)
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not MIN_DATE <= day <= MAX_DATE:
        raise InvalidParameter(
            f"“{name}” must be a date (YYYY-MM-DD) from {MIN_DATE} to {MAX_DATE}.", field=name
        )
    return day


def day_start(day: date | None) -> datetime | None:
    """Return the first moment (UTC) of `day`, or None."""
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def day_end(day: date | None) -> datetime | None:
    """Return the first moment (UTC) after `day`, for ranges that include the day, or None."""
    return day_start(day + timedelta(days=1)) if day else None
