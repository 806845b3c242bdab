"""Whose cart: a user (by id) or a guest (by the random token their session holds)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from storefront.cart.models import Cart, CartLine
from storefront.catalog.models import Product, Variant
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
    def is_guest(self) -> bool:
        """Return True when the cart belongs to a guest."""
        return self.user_id is None


def new_guest_token() -> str:
    """Return a fresh random token for a guest cart."""
    return secrets.token_urlsafe(32)


def find_cart(owner: CartOwner, lock: bool = False) -> Cart | None:
    """Return the owner's cart with its lines, or None; `lock` holds its row until commit."""
    if owner.user_id is not None:
        condition = Cart.user_id == owner.user_id
    elif owner.guest_token:
        condition = Cart.token == owner.guest_token
    else:
        return None
    statement = select(Cart).where(condition)
    if lock:
        # Every change to one cart queues on its row, so two tabs cannot interleave. The
        # lines come in one more query, not locked (the cart's row guards them): a join here
        # would lock their variants too on MariaDB, which has no FOR UPDATE OF.
        lines = selectinload(Cart.lines)
        statement = statement.with_for_update()
    else:
        lines = joinedload(Cart.lines)  # one query for the cart and its lines
    product = lines.joinedload(CartLine.variant).joinedload(Variant.product)
    if not lock:
        product = product.selectinload(Product.images)
    result = db.session.execute(statement.options(product))
    return result.unique().scalar_one_or_none()


def find_or_create_cart(owner: CartOwner) -> Cart:
    """Return the owner's cart, locked for this transaction, creating it on first use."""
    cart = find_cart(owner, lock=True)
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
        cart = find_cart(owner, lock=True)
        if cart is None:
            raise
        return cart
    return fresh
