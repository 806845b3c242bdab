"""Jinja filters and the values every page's layout needs."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, url_for
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from storefront.catalog.navigation import nav_categories
from storefront.extensions import db
from storefront.money import format_money
from storefront.web.page_store import catalog_version

_CATEGORY_MENU = "storefront.category_menu"


def _safely(func, fallback):
    """Wrap a layout lookup so an error page still renders when the database is down."""

    def call(*args):
        try:
            return func(*args)
        except SQLAlchemyError:
            db.session.rollback()
            return fallback

    return call


def category_menu(current_slug: str | None = None) -> Markup:
    """Return the navbar's category links as HTML, `current_slug`'s marked as the current one.

    Every page shows them, so where no category is current they are rendered once per
    catalogue version in each process (a change to a category changes the version).
    """
    app = current_app._get_current_object()
    url_prefix = url_for("catalog.category", slug="-")[:-1]  # slugs are URL-safe ASCII
    version = catalog_version(app)
    key = (version, url_prefix)
    if current_slug is None and version is not None:
        memo_key, html = app.extensions.get(_CATEGORY_MENU, (None, None))
        if memo_key == key:
            return html
    template = app.jinja_env.get_template("_category_menu.html")
    html = Markup(
        template.render(
            categories=nav_categories(), current_slug=current_slug, url_prefix=url_prefix
        )
    )
    if current_slug is None:
        app.extensions[_CATEGORY_MENU] = (key, html)
    return html


def register_templating(app: Flask) -> None:
    """Register the `money` and `datetime` filters and the layout's context."""

    @app.template_filter("money")
    def money_filter(cents: int | None, currency: str | None = None) -> str:
        return format_money(cents, currency or current_app.config["STOREFRONT_CURRENCY"])

    @app.template_filter("datetime")
    def datetime_filter(value: datetime | None, fmt: str = "%d %b %Y, %H:%M UTC") -> str:
        return value.strftime(fmt) if value else ""

    @app.context_processor
    def layout_context() -> dict:
        return {
            "shop_name": current_app.config["STOREFRONT_NAME"],
            "currency": current_app.config["STOREFRONT_CURRENCY"],
            # A callable: evaluated only by the pages that show it.
            "category_menu": _safely(category_menu, ""),
        }
