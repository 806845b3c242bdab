"""Public catalogue pages: home, product lists, categories, search and product pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from storefront.catalog import navigation, presentation, queries
from storefront.catalog.filters import SORTS, CatalogFilters, parse_filters
from storefront.catalog.pricing import has_price_range

bp = Blueprint("catalog", __name__, template_folder="templates")

HOME_PRODUCTS = 8


@bp.app_template_filter("has_price_range")
def has_price_range_filter(product) -> bool:
    """Return True when a product's variants differ in price."""
    return has_price_range(product)


@bp.app_template_global("image_url")
def image_url_global(storage_key: str, size: str = "thumb") -> str:
    """Return the URL of an image file."""
    return presentation.image_url(storage_key, size)


@bp.app_template_global("product_json_ld")
def product_json_ld_global(product, available: bool) -> dict:
    """Return a product page's schema.org data."""
    return presentation.product_json_ld(product, available)


def _filters() -> CatalogFilters:
    categories = [shelf["slug"] for shelf in navigation.nav_categories()]
    return parse_filters(request.args, categories, navigation.size_labels())


def _listing(template_args: dict, filters: CatalogFilters, category: dict | None = None):
    selected = category or navigation.category_by_slug(filters.category or "")
    result = queries.list_products(
        filters,
        current_app.config["PRODUCTS_PER_PAGE"],
        category_id=selected["id"] if selected else None,
    )
    return render_template(
        "catalog/list.html",
        result=result,
        filters=filters,
        sorts=SORTS,
        sizes=navigation.size_labels(),
        categories=navigation.nav_categories(),
        category=category,
        page_url=lambda **changes: url_for(
            request.endpoint, **(request.view_args or {}), **filters.query_args(**changes)
        ),
        clear_url=url_for(
            request.endpoint, **(request.view_args or {}), **({"q": filters.q} if filters.q else {})
        ),
        **template_args,
    )


def _in_other_case(slug: str) -> bool:
    return slug != slug.lower() and navigation.SLUG.fullmatch(slug) is not None


def _canonical(endpoint: str, slug: str):
    """Send a slug typed in another case to its lowercase address, for good (301)."""
    return redirect(url_for(endpoint, slug=slug.lower(), **request.args.to_dict(flat=False)), 301)


@bp.get("/")
def home():
    """Show a welcome, the category tiles and the newest products."""
    return render_template(
        "catalog/home.html",
        products=queries.newest_products(HOME_PRODUCTS),
        categories=navigation.nav_categories(),
    )


@bp.get("/products")
def products():
    """List all products, filtered, sorted and paged."""
    filters = _filters()
    return _listing({"heading": "All products"}, filters)


@bp.get("/c/<slug>")
def category(slug: str):
    """List one category's products."""
    if _in_other_case(slug):
        return _canonical("catalog.category", slug)
    shelf = navigation.category_by_slug(slug)
    if shelf is None:
        abort(404)
    filters = parse_filters(request.args, [], navigation.size_labels())
    return _listing({"heading": shelf["name"]}, filters, category=shelf)


@bp.get("/search")
def search():
    """Search the catalogue by name, SKU, description and category."""
    filters = _filters()
    return _listing({"heading": "Search", "searching": True}, filters)


@bp.get("/p/<slug>")
def product(slug: str):
    """Show one product with its gallery, sizes and related products."""
    if _in_other_case(slug):  # slugs are lowercase: /p/SWIFT-ROAD-BLACK was typed by hand
        return _canonical("catalog.product", slug)
    item = queries.active_product_by_slug(slug) if navigation.SLUG.fullmatch(slug) else None
    if item is None:
        abort(404)
    return render_template(
        "catalog/product.html",
        product=item,
        first_variant=presentation.shown_variant(item),
        description=presentation.render_description(item.description),
        related=queries.related_products(item),
    )
