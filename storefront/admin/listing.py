"""Reading list pages' query arguments: page number, dates and search text."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import request

from storefront.extensions import db

PER_PAGE = 25


def paginate(statement, per_page: int = PER_PAGE):
    """Return one page of `statement`'s rows for the `page` query argument."""
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(statement, page=max(page, 1), per_page=per_page, error_out=False)


def day_start(name: str) -> datetime | None:
    """Return the start (UTC) of the day named by query argument `name` (YYYY-MM-DD), or None."""
    text = request.args.get(name, "").strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_after(name: str) -> datetime | None:
    """Return the start of the day after the one in query argument `name`, for inclusive ranges."""
    start = day_start(name)
    return start + timedelta(days=1) if start else None


def query_text(name: str, limit: int = 100) -> str:
    """Return the trimmed query argument `name`, cut to `limit` characters."""
    return request.args.get(name, "").strip()[:limit]
