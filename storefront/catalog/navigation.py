"""The category list shown in the navbar, cached and cleared when categories change."""

from __future__ import annotations

from sqlalchemy import select

from storefront.extensions import cache, db

NAV_CATEGORIES_KEY = "nav_categories"


def nav_categories() -> list[dict]:
    """Return the categories for the navbar as plain dicts (name, slug)."""
    cached = cache.get(NAV_CATEGORIES_KEY)
    if cached is not None:
        return cached
    from storefront.catalog.models import Category

    rows = db.session.execute(
        select(Category.name, Category.slug).order_by(Category.position, Category.name)
    ).all()
    categories = [{"name": name, "slug": slug} for name, slug in rows]
    cache.set(NAV_CATEGORIES_KEY, categories)
    return categories


def forget_nav_categories() -> None:
    """Drop the cached navbar categories after a category changes."""
    cache.delete(NAV_CATEGORIES_KEY)
