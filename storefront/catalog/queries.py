"""Read-side catalogue queries: listings with filters, sort and pages; one product; related."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import exists, func, select, true
from sqlalchemy.orm import joinedload, selectinload

from storefront.catalog.filters import CatalogFilters
from storefront.catalog.models import Product, Variant
from storefront.catalog.search import count_active_matches, search_products
from storefront.extensions import db

# From this many matches on, a search page walks the listing index in order (see search.py):
# at 1 match in 100 or more, 24 matches are found within a few thousand index entries.
IN_ORDER_FROM = 1000
# A listing counts its products up to this many (at least IN_ORDER_FROM); past it the page
# says "more than 1,000" and pages on with Next, as Elasticsearch's track_total_hits does at
# 10,000. An uncached page then costs the same for 2,000 matches as for 100,000.
COUNT_UP_TO = 1000

_ORDER = {
    "newest": (Product.created_at.desc(), Product.id.desc()),
    "price_asc": (Product.price_min_cents.asc(), Product.id.asc()),
    "price_desc": (Product.price_min_cents.desc(), Product.id.desc()),
    "name": (Product.name.asc(), Product.id.asc()),
}


@dataclass(frozen=True)
class ProductPage:
    """One page of a product listing and where it sits among all the pages.

    `total` is exact when `counted_all`; otherwise there are more than `total` products
    (COUNT_UP_TO) and `more_after` says whether a page follows this one.
    """

    items: list[Product]
    total: int
    page: int
    per_page: int
    counted_all: bool = True
    more_after: bool = False

    @property
    def pages(self) -> int:
        """Return the number of pages (at least 1); the last one known if not all were counted."""
        counted = max(1, math.ceil(self.total / self.per_page))
        if self.counted_all:
            return counted
        return max(counted, self.page + 1 if self.more_after else self.page)

    @property
    def has_prev(self) -> bool:
        """Return True when there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Return True when there is a page after this one."""
        return self.page < self.pages

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Return the page numbers to link, with None where a gap is shown.

        Uncounted pages end in a gap rather than in a last page nobody has counted.
        """
        shown = {1, *range(self.page - around, self.page + around + 1)}
        if self.counted_all:
            shown.add(self.pages)
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        if not self.counted_all and self.has_next:
            numbers.append(None)
        return numbers


def _card_options():
    return (selectinload(Product.variants), selectinload(Product.images))


def _conditions(
    filters: CatalogFilters, category_id: int | None, in_listing_order: bool = False
) -> list:
    conditions = [Product.is_active == true()]
    if category_id is not None:
        conditions.append(Product.category_id == category_id)
    if filters.min_cents is not None:
        conditions.append(Product.price_min_cents >= filters.min_cents)
    if filters.max_cents is not None:
        conditions.append(Product.price_min_cents <= filters.max_cents)
    if filters.size or filters.in_stock:
        variant = [Variant.product_id == Product.id]
        if filters.size:
            variant.append(Variant.label == filters.size)
        if filters.in_stock:
            variant.append(Variant.stock > 0)
        conditions.append(exists().where(*variant))
    matching = search_products(filters.q, db.engine.dialect.name, in_listing_order)
    if matching is not None:
        conditions.append(matching)
    return conditions


def _search_only(filters: CatalogFilters, category_id: int | None) -> bool:
    """Return True when the listing is a search with no other filter."""
    return (
        bool(filters.q)
        and category_id is None
        and not (
            filters.min_cents is not None
            or filters.max_cents is not None
            or filters.size
            or filters.in_stock
        )
    )


def list_products(
    filters: CatalogFilters, per_page: int, category_id: int | None = None
) -> ProductPage:
    """Return the page of active products the filters ask for (a page past the end: the last)."""
    counting = _conditions(filters, category_id)
    counted = _count(filters, category_id, counting, up_to=COUNT_UP_TO + 1)
    if not counted:
        return ProductPage([], 0, 1, per_page)
    conditions = counting
    if filters.q and counted >= IN_ORDER_FROM:
        conditions = _conditions(filters, category_id, in_listing_order=True)
    if counted <= COUNT_UP_TO:
        page = min(filters.page, math.ceil(counted / per_page))
        return ProductPage(
            _page_items(conditions, filters, page, per_page), counted, page, per_page
        )
    items = _page_items(conditions, filters, filters.page, per_page, extra=1)
    if not items:  # past the end of more than COUNT_UP_TO: count them all to find the last page
        total = _count(filters, category_id, counting)
        page = math.ceil(total / per_page)
        return ProductPage(_page_items(conditions, filters, page, per_page), total, page, per_page)
    page_items = items[:per_page]
    more_after = len(items) > per_page
    return ProductPage(page_items, COUNT_UP_TO, filters.page, per_page, False, more_after)


def _count(filters: CatalogFilters, category_id: int | None, conditions: list, up_to=None) -> int:
    """Return how many active products the listing holds, counting no further than `up_to`."""
    if _search_only(filters, category_id):
        counted = count_active_matches(filters.q, db.engine.dialect.name, up_to)
        if counted is not None:
            return counted
    matching = select(Product.id).where(*conditions)
    if up_to is not None:
        matching = matching.limit(up_to)
    return db.session.execute(select(func.count()).select_from(matching.subquery())).scalar_one()


def _page_items(
    conditions: list, filters: CatalogFilters, page: int, per_page: int, extra: int = 0
) -> list[Product]:
    """Return the products of one page (and `extra` after it), with what a card shows."""
    order = _ORDER[filters.sort]
    # Page through ids alone (the listing indexes cover them), then load just those rows.
    ids = (
        select(Product.id)
        .where(*conditions)
        .order_by(*order)
        .limit(per_page + extra)
        .offset((page - 1) * per_page)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Product)
            .join(ids, Product.id == ids.c.id)
            .order_by(*order)
            .options(*_card_options())
        ).all()
    )


def newest_products(limit: int = 8) -> list[Product]:
    """Return the newest active products."""
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.is_active == true())
            .order_by(*_ORDER["newest"])
            .limit(limit)
            .options(*_card_options())
        ).all()
    )


def active_product_by_slug(slug: str) -> Product | None:
    """Return the active product with this slug, its category, variants and images."""
    return db.session.scalars(
        select(Product)
        .where(Product.slug == slug, Product.is_active == true())
        .options(joinedload(Product.category), *_card_options())
    ).first()


def related_products(product: Product, limit: int = 4) -> list[Product]:
    """Return up to `limit` other active products from the same category, newest first."""
    if product.category_id is None:
        return []
    return list(
        db.session.scalars(
            select(Product)
            .where(
                Product.category_id == product.category_id,
                Product.is_active == true(),
                Product.id != product.id,
            )
            .order_by(*_ORDER["newest"])
            .limit(limit)
            .options(*_card_options())
        ).all()
    )
