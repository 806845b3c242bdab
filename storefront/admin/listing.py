"""Reading list pages' query arguments and paging."""

from __future__ import annotations

from collections.abc import Mapping

from storefront.extensions import db

PER_PAGE = 25


def paginate(statement, page: int, per_page: int = PER_PAGE):
    """Return page `page` of `statement`'s rows (an empty page past the last)."""
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def text_argument(args: Mapping, name: str, limit: int = 100) -> str:
    """Return the trimmed query argument `name`, cut to `limit` characters."""
    value = args.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def choice_argument(args: Mapping, name: str, choices) -> str | None:
    """Return query argument `name` when it is one of `choices`, else None (no filter)."""
    value = args.get(name)
    return value if value in choices else None
