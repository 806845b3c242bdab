"""Whose cart: a user (by id) or a guest (by the random token their session holds)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from storefront.cart.models import Cart, CartLine
from storefront.catalog.models import Variant
from storefront.extensions import db

_TOKEN_MAX = 64


@dataclass(frozen=True)
class CartOwner:
    """Names a cart without touching the request: a user id, or a guest token (maybe none yet)."""

    user_id: int | None = None
    guest_token: str | None = None

    @classmethod
    def user(cls, user_id: int) -> CartOwner:
        """Return the owner for a logged-in user."""
        return cls(user_id=user_id)

    @classmethod
    def guest(cls, token: str | None) -> CartOwner:
        """Return the owner for a guest; `token` is None until their first add."""
        if token is not None and (not isinstance(token, str) or len(token) > _TOKEN_MAX):
            token = None
        return cls(guest_token=token)

    @property
    def cart_column(self) -> tuple[str, int | str] | None:
        """Return the `carts` column that names this owner's cart and its value (None: no cart)."""
        if self.user_id is not None:
            return "user_id", self.user_id
        if self.guest_token:
            return "token", self.guest_token
        return None


def new_guest_token() -> str:
    """Return a fresh random token for a guest cart."""
    return secrets.token_urlsafe(32)


def _cart_statement(owner_column: str, owner, lock: bool, with_lines: bool):
    """Return the query for the cart whose `owner_column` equals `owner`."""
    statement = select(Cart).where(getattr(Cart, owner_column) == owner)
    if lock:
        # Every change to one cart queues on its row, so two tabs cannot interleave.
        statement = statement.with_for_update()
    if with_lines:
        # The lines come in one more query: joined to the cart, a locking read would lock
        # their variants too on MariaDB, which has no FOR UPDATE OF (the cart's row guards
        # its lines). Pages that only show a cart read it with `reading.priced_lines`.
        lines = selectinload(Cart.lines).joinedload(CartLine.variant).joinedload(Variant.product)
        statement = statement.options(lines)
    return statement


def find_cart(owner: CartOwner, lock: bool = False, with_lines: bool = True) -> Cart | None:
    """Return the owner's cart (with its lines unless told not), or None.

    `lock` holds the cart's row until the transaction ends.
    """
    if owner.cart_column is None:
        return None
    column, value = owner.cart_column
    statement = _cart_statement(column, value, lock, with_lines)
    return db.session.execute(statement).unique().scalar_one_or_none()


def find_or_create_cart(owner: CartOwner, with_lines: bool = True) -> Cart:
    """Return the owner's cart, locked for this transaction, creating it on first use."""
    cart = find_cart(owner, lock=True, with_lines=with_lines)
    if cart is not None:
        return cart
    if owner.user_id is not None:
        fresh = Cart(user_id=owner.user_id)
    else:
        fresh = Cart(token=owner.guest_token or new_guest_token())
    try:
        with db.session.begin_nested():
            db.session.add(fresh)
    except IntegrityError:
        # Another request created this user's cart at the same moment; use that one.
        cart = find_cart(owner, lock=True, with_lines=with_lines)
        if cart is None:
            raise
        return cart
    return fresh
