"""The cart's part in account events: merge the guest cart at login, erase carts on deletion.

Accounts knows nothing of carts; these receivers connect to its signals (Flask-Login's
`user_logged_in`, accounts' `account_erasing`) for one app.
"""

from __future__ import annotations

from flask import Flask, flash, session
from flask_login import user_logged_in
from sqlalchemy import delete, select

from storefront.accounts.deletion import account_erasing
from storefront.cart.models import Cart, CartLine
from storefront.cart.services import merge_guest_cart
from storefront.cart.session import CART_TOKEN_KEY
from storefront.extensions import db


def merge_cart_at_login(sender: Flask, user, **extra) -> None:
    """Move this browser's guest cart into the user's cart and say what changed."""
    guest_token = session.pop(CART_TOKEN_KEY, None)
    for note in merge_guest_cart(guest_token, user.id):
        flash(note, "info")


def erase_carts(sender: Flask, user_id: int, **extra) -> None:
    """Delete the user's carts inside the account deletion's transaction."""
    cart_ids = select(Cart.id).where(Cart.user_id == user_id)
    db.session.execute(delete(CartLine).where(CartLine.cart_id.in_(cart_ids)))
    db.session.execute(delete(Cart).where(Cart.user_id == user_id))


def connect_account_hooks(app: Flask) -> None:
    """Connect the cart's receivers to this app's logins and account deletions."""
    user_logged_in.connect(merge_cart_at_login, app)
    account_erasing.connect(erase_carts, app)
