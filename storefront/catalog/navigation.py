"""Shared catalogue lookups (navbar categories, size labels), cached and cleared on change."""

from __future__ import annotations

import re

from sqlalchemy import select

from storefront.extensions import cache, db

SLUG = re.compile(r"[\w-]{1,220}")
NAV_CATEGORIES_KEY = "nav_categories"
SIZE_LABELS_KEY = "catalog_size_labels"
SIZE_LABELS_TIMEOUT = 300  # new sizes appear on their own within five minutes


def nav_categories() -> list[dict]:
    """Return the categories for the navbar as plain dicts (id, name, slug, description)."""
    cached = cache.get(NAV_CATEGORIES_KEY)
    if cached is not None:
        return cached
    from storefront.catalog.models import Category

    rows = db.session.execute(
        select(Category.id, Category.name, Category.slug, Category.description).order_by(
            Category.position, Category.name
        )
    ).all()
    categories = [
        {"id": id_, "name": name, "slug": slug, "description": description or ""}
        for id_, name, slug, description in rows
    ]
    cache.set(NAV_CATEGORIES_KEY, categories)
    return categories


def forget_nav_categories() -> None:
    """Drop the cached navbar categories after a category changes."""
    cache.delete(NAV_CATEGORIES_KEY)


def category_by_slug(slug: str) -> dict | None:
    """Return the category with this slug (from the cache, refreshed once on a miss), or None."""
    if not slug or not SLUG.fullmatch(slug):
        return None
    found = next((shelf for shelf in nav_categories() if shelf["slug"] == slug), None)
    if found is None:
        from storefront.catalog.models import Category

        # Another process may have added it since this cache was filled.
        if db.session.scalar(select(Category.id).where(Category.slug == slug)) is not None:
            forget_nav_categories()
            found = next((shelf for shelf in nav_categories() if shelf["slug"] == slug), None)
    return found


def _size_order(label: str) -> tuple:
    number = re.fullmatch(r"\d+(?:[.,]\d+)?", label)
    return (0, float(label.replace(",", ".")), label) if number else (1, 0.0, label.lower())


def size_labels() -> list[str]:
    """Return every variant label offered by an active product, in size order (cached)."""
    cached = cache.get(SIZE_LABELS_KEY)
    if cached is not None:
        return cached
    from storefront.catalog.models import Product, Variant

    labels = db.session.scalars(
        select(Variant.label)
        .join(Product)
        .where(Product.is_active.is_(True), Variant.label != "")
        .distinct()
    ).all()
    ordered = sorted(labels, key=_size_order)
    cache.set(SIZE_LABELS_KEY, ordered, timeout=SIZE_LABELS_TIMEOUT)
    return ordered


def forget_size_labels() -> None:
    """Drop the cached size labels after variants change."""
    cache.delete(SIZE_LABELS_KEY)
