"""The one per-visitor bit a stored page shows: the cart count, from a cookie a script reads.

Stored pages are the same for every guest, so the navbar's cart badge is filled in by
`static/js/shop.js` from the `cart_count` cookie. The cookie is not a secret and proves
nothing: it only repeats what the cart holds, and the server keeps it current after every
request that can change the cart (any unsafe method) and on the cart page, which sets right a
count that another device or the removal of an abandoned cart has made stale.
Without JavaScript the badge stays empty and the Cart link still leads to the cart.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from storefront.cart.session import current_cart_count
from storefront.extensions import db

CART_COUNT_COOKIE = "cart_count"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _may_have_changed_cart() -> bool:
    return request.method not in _SAFE or request.endpoint == "cart.view"


def keep_cart_count_cookie(response: Response) -> Response:
    """Set the `cart_count` cookie to the cart's item count when the cart may have changed."""
    if request.endpoint in (None, "static") or not _may_have_changed_cart():
        return response
    try:
        count = current_cart_count()
    except SQLAlchemyError:
        db.session.rollback()
        return response
    settings = current_app.config
    if count == 0:
        if CART_COUNT_COOKIE in request.cookies:
            response.delete_cookie(CART_COUNT_COOKIE, samesite="Lax")
    elif request.cookies.get(CART_COUNT_COOKIE) != str(count):
        response.set_cookie(
            CART_COUNT_COOKIE,
            str(count),
            max_age=settings["REMEMBER_COOKIE_DURATION"],
            secure=settings["SESSION_COOKIE_SECURE"],
            httponly=False,  # read by the page's script
            samesite="Lax",
        )
    return response


def register_visitor_cookie(app: Flask) -> None:
    """Keep the cart count cookie current."""
    app.after_request(keep_cart_count_cookie)
