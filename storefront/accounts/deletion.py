"""Deleting an account: personal data goes, the orders stay in the books anonymised.

Accounts sits below cart and orders and imports neither. What those packages keep about the
person is theirs to erase: `erase_user` sends `account_erasing` inside its transaction, and
each package connects a receiver (`cart.account_hooks`, `orders.account_erasure`) that erases
its part, or refuses the deletion by raising a ShopError, which rolls all of it back.
"""

from __future__ import annotations

import logging

from blinker import Namespace
from flask import current_app
from sqlalchemy import delete

from storefront.accounts.admins import ensure_another_admin
from storefront.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, Address, User
from storefront.accounts.passwords import verify_password
from storefront.accounts.sessions import end_all_sessions
from storefront.database import transactional
from storefront.errors import NotFound, ValidationFailed
from storefront.extensions import db
from storefront.models_base import utcnow

log = logging.getLogger(__name__)

# Sent with the app as sender and `user_id`, inside the deletion's transaction.
account_erasing = Namespace().signal("account-erasing")


@transactional
def delete_account(user_id: int, password: str) -> None:
    """Erase the person's data, cart and sessions; keep their orders, detached and anonymised."""
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted:
        raise NotFound("That account does not exist.")
    if not verify_password(user.password_hash, password):
        raise ValidationFailed("That is not your password.", field="delete_password")
    if user.role == ROLE_ADMIN:
        ensure_another_admin(
            user.id,
            "You are the shop's only admin: make someone else an admin first.",
            field="delete_password",
        )
    erase_user(user)
    log.info("user %s deleted their account; orders kept anonymised", user_id)


def erase_user(user: User) -> None:
    """Remove `user`'s personal data inside the caller's transaction (no password check)."""
    account_erasing.send(current_app._get_current_object(), user_id=user.id)
    db.session.execute(delete(Address).where(Address.user_id == user.id))
    end_all_sessions(user.id)
    user.name = ""
    user.email = None
    user.email_confirmed_at = None
    user.password_hash = None
    user.role = ROLE_CUSTOMER
    user.is_active = False
    user.deleted_at = utcnow()
    db.session.expire(user, ["addresses"])
