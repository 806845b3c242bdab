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

_ORDER = {
    "newest": (Product.created_at.desc(), Product.id.desc()),
    "price_asc": (Product.price_min_cents.asc(), Product.id.asc()),
    "price_desc": (Product.price_min_cents.desc(), Product.id.desc()),
    "name": (Product.name.asc(), Product.id.asc()),
}


@dataclass(frozen=True)
class ProductPage:
    """One page of a product listing and where it sits among all the pages."""

    items: list[Product]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return the number of pages (at least 1)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        """Return True when there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Return True when there is a page after this one."""
        return self.page < self.pages

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Return the page numbers to link, with None where a gap is shown."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
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
    conditions = _conditions(filters, category_id)
    total = None
    if _search_only(filters, category_id):
        total = count_active_matches(filters.q, db.engine.dialect.name)
    if total is None:
        total = db.session.execute(select(func.count(Product.id)).where(*conditions)).scalar_one()
    page = min(filters.page, max(1, math.ceil(total / per_page)))
    if not total:
        return ProductPage([], 0, 1, per_page)
    order = _ORDER[filters.sort]
    if filters.q and total >= IN_ORDER_FROM:
        conditions = _conditions(filters, category_id, in_listing_order=True)
    # Page through ids alone (the listing indexes cover them), then load just those rows.
    ids = (
        select(Product.id)
        .where(*conditions)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    items = db.session.scalars(
        select(Product).join(ids, Product.id == ids.c.id).order_by(*order).options(*_card_options())
    ).all()
    return ProductPage(list(items), total, page, per_page)


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
