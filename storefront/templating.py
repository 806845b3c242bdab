"""Jinja filters, the values every page's layout needs, and url_for remembered per process."""

from __future__ import annotations

import functools
from datetime import datetime

from flask import Flask, current_app, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError

from storefront.money import format_money


def _safely(func, fallback):
    """Wrap a layout lookup so an error page still renders when the database is down."""

    def call(*args):
        try:
            return func(*args)
        except SQLAlchemyError:
            from storefront.extensions import db

            db.session.rollback()
            return fallback

    return call


URL_MEMO_SIZE = 8192  # URLs a process keeps; a page of 24 products needs about 100


def _remembered_url_for(app: Flask):
    """Return url_for for templates: each URL built once per process, then looked up.

    A signed-in page builds 20 to 40 URLs, mostly the same ones on every page (the layout's
    links, the static files). A URL depends only on the endpoint, its values and the script
    root, unless it is external or relative to the blueprint (those are built every time).
    Static URLs carry their file's hash, fixed while the process runs outside debug mode.
    """
    build = app.url_for

    @functools.lru_cache(maxsize=URL_MEMO_SIZE)
    def remembered(script_root: str, endpoint: str, key: tuple) -> str:
        return build(endpoint, **{name: value for name, _type, value in key})

    def url_for(endpoint: str, **values) -> str:
        if (
            app.debug
            or not has_request_context()  # e.g. a mail rendered by a command, with SERVER_NAME
            or endpoint[0] == "."
            or any(name[0] == "_" for name in values)
        ):
            return build(endpoint, **values)
        # The value's type too: page=True and page=1 are equal keys but different URLs.
        key = tuple((name, type(value), value) for name, value in sorted(values.items()))
        try:
            return remembered(request.script_root, endpoint, key)
        except TypeError:  # a value that cannot be a key (a list of tags, say)
            return build(endpoint, **values)

    return url_for


def register_templating(app: Flask) -> None:
    """Register the `money` and `datetime` filters, the layout's context and url_for."""
    from storefront.cart.session import current_cart_count
    from storefront.catalog.navigation import category_menu

    @app.template_filter("money")
    def money_filter(cents: int | None, currency: str | None = None) -> str:
        return format_money(cents, currency or current_app.config["STOREFRONT_CURRENCY"])

    @app.template_filter("datetime")
    def datetime_filter(value: datetime | None, fmt: str = "%d %b %Y, %H:%M UTC") -> str:
        return value.strftime(fmt) if value else ""

    app.jinja_env.globals["url_for"] = _remembered_url_for(app)

    @app.context_processor
    def layout_context() -> dict:
        return {
            "shop_name": current_app.config["STOREFRONT_NAME"],
            "currency": current_app.config["STOREFRONT_CURRENCY"],
            # Callables: evaluated only by the pages that show them.
            "category_menu": _safely(category_menu, ""),
            "cart_count": _safely(current_cart_count, 0),
        }
