"""Deleting an account: personal data goes, the orders stay in the books anonymised."""

from __future__ import annotations

import logging

from sqlalchemy import delete, func, literal, select, update

from storefront.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, Address, User
from storefront.accounts.passwords import verify_password
from storefront.accounts.sessions import end_all_sessions
from storefront.database import transactional
from storefront.errors import NotFound, ValidationFailed
from storefront.extensions import db
from storefront.models_base import utcnow

DELETED_NAME = "Deleted customer"
log = logging.getLogger(__name__)


@transactional
def delete_account(user_id: int, password: str) -> None:
    """Erase the person's data, cart and sessions; keep their orders, detached and anonymised."""
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted:
        raise NotFound("That account does not exist.")
    if not verify_password(user.password_hash, password):
        raise ValidationFailed("That is not your password.", field="delete_password")
    if user.role == ROLE_ADMIN and _other_active_admins(user.id) == 0:
        raise ValidationFailed(
            "You are the shop's only admin: make someone else an admin first.",
            field="delete_password",
        )
    erase_user(user)
    log.info("user %s deleted their account; orders kept anonymised", user_id)


def erase_user(user: User) -> None:
    """Remove `user`'s personal data inside the caller's transaction (no password check)."""
    from storefront.cart.models import Cart, CartLine
    from storefront.orders.models import Order

    _anonymise_orders(Order, user.id)
    cart_ids = select(Cart.id).where(Cart.user_id == user.id)
    db.session.execute(delete(CartLine).where(CartLine.cart_id.in_(cart_ids)))
    db.session.execute(delete(Cart).where(Cart.user_id == user.id))
    db.session.execute(delete(Address).where(Address.user_id == user.id))
    end_all_sessions(user.id)
    user.name = ""
    user.email = None
    user.password_hash = None
    user.role = ROLE_CUSTOMER
    user.is_active = False
    user.deleted_at = utcnow()
    db.session.expire(user, ["addresses"])


def _anonymise_orders(order_model, user_id: int) -> None:
    """Detach the orders and drop who and where; amounts, lines and country stay."""
    db.session.execute(
        update(order_model)
        .where(order_model.user_id == user_id)
        .values(
            user_id=None,
            customer_name=DELETED_NAME,
            customer_email=literal("deleted-") + order_model.reference + literal("@invalid"),
            ship_name=DELETED_NAME,
            ship_street="",
            ship_city="",
            ship_postal_code="",
            ship_phone="",
        )
        .execution_options(synchronize_session=False)
    )


def _other_active_admins(user_id: int) -> int:
    return db.session.execute(
        select(func.count(User.id)).where(
            User.role == ROLE_ADMIN, User.is_active.is_(True), User.id != user_id
        )
    ).scalar_one()
