"""Which cart belongs to this browser: the user's, or the guest's found by a session token."""

from __future__ import annotations

from flask import session
from flask_login import current_user
from sqlalchemy import func, select

from storefront.cart.models import Cart, CartLine
from storefront.cart.owners import CartOwner
from storefront.extensions import db

CART_TOKEN_KEY = "cart_token"


def guest_cart_token() -> str | None:
    """Return the guest cart token kept in this browser's session, if any."""
    return session.get(CART_TOKEN_KEY)


def current_cart_count() -> int:
    """Return how many items are in this browser's cart (one query, none for a new guest)."""
    owner = current_cart_owner()
    if owner.cart_column is None:
        return 0
    column, value = owner.cart_column
    count = (
        select(func.coalesce(func.sum(CartLine.quantity), 0))
        .join(Cart)
        .where(getattr(Cart, column) == value)
    )
    return int(db.session.execute(count).scalar_one())


def current_cart_owner() -> CartOwner:
    """Return the CartOwner for this browser: the logged-in user, or the guest's token."""
    if current_user.is_authenticated:
        return CartOwner.user(current_user.id)
    return CartOwner.guest(guest_cart_token())


def remember_guest_token(token: str | None) -> None:
    """Keep a new guest cart's token in the session (users need none)."""
    if token and not current_user.is_authenticated and session.get(CART_TOKEN_KEY) != token:
        session[CART_TOKEN_KEY] = token
