"""Jinja filters and the values every page's layout needs."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app
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


def register_templating(app: Flask) -> None:
    """Register the `money` and `datetime` filters and the layout's context."""
    from storefront.cart.session import current_cart_count
    from storefront.catalog.navigation import category_menu

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
            # Callables: evaluated only by the pages that show them.
            "category_menu": _safely(category_menu, ""),
            "cart_count": _safely(current_cart_count, 0),
        }
