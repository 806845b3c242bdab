"""Read the catalogue's query string into clean filters: bad values are clamped or ignored."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from storefront.catalog.search import MAX_QUERY_LENGTH
from storefront.money import parse_amount

SORTS = {
    "newest": "Newest",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "name": "Name",
}
DEFAULT_SORT = "newest"
MAX_PAGE = 1_000_000
_PAGE = re.compile(r"^\s*\d{1,7}\s*$")


@dataclass(frozen=True)
class CatalogFilters:
    """What the customer asked to see: search words, filters, sort and page."""

    q: str = ""
    category: str | None = None  # a category slug known to the shop
    min_cents: int | None = None
    max_cents: int | None = None
    in_stock: bool = False
    size: str | None = None
    sort: str = DEFAULT_SORT
    page: int = 1

    def query_args(self, **changes) -> dict:
        """Return the query-string arguments for these filters, with `changes` applied."""
        current = replace(self, **changes)
        args = {
            "q": current.q or None,
            "category": current.category,
            "min": _amount(current.min_cents),
            "max": _amount(current.max_cents),
            "in_stock": "1" if current.in_stock else None,
            "size": current.size,
            "sort": current.sort if current.sort != DEFAULT_SORT else None,
            "page": current.page if current.page > 1 else None,
        }
        return {key: value for key, value in args.items() if value is not None}

    @property
    def is_filtered(self) -> bool:
        """Return True when any filter narrows the list (search words aside)."""
        return bool(
            self.category
            or self.min_cents is not None
            or self.max_cents is not None
            or self.in_stock
            or self.size
        )


def _amount(cents: int | None) -> str | None:
    if cents is None:
        return None
    whole, minor = divmod(cents, 100)
    return str(whole) if not minor else f"{whole}.{minor:02d}"


def _first(args: Mapping, name: str) -> str:
    value = args.get(name, "")
    return value if isinstance(value, str) else ""


def parse_page(text: str) -> int:
    """Return the page number in `text`, or 1 when it is missing, negative or not a number."""
    if not _PAGE.match(text or ""):
        return 1
    return min(max(int(text), 1), MAX_PAGE)


def parse_filters(
    args: Mapping,
    category_slugs: Iterable[str] = (),
    sizes: Iterable[str] = (),
) -> CatalogFilters:
    """Return the filters in a request's query string, ignoring what the shop does not know."""
    q = " ".join(_first(args, "q")[:MAX_QUERY_LENGTH].split())
    category = _first(args, "category")
    size = _first(args, "size")
    minimum = parse_amount(_first(args, "min")[:16])
    maximum = parse_amount(_first(args, "max")[:16])
    if minimum is not None and maximum is not None and minimum > maximum:
        minimum, maximum = maximum, minimum
    sort = _first(args, "sort")
    return CatalogFilters(
        q=q,
        category=category if category in set(category_slugs) else None,
        min_cents=minimum,
        max_cents=maximum,
        in_stock=_first(args, "in_stock") in {"1", "on", "true", "yes"},
        size=size if size in set(sizes) else None,
        sort=sort if sort in SORTS else DEFAULT_SORT,
        page=parse_page(_first(args, "page")),
    )
