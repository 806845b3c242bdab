"""Back-office user management: roles and access, never leaving the shop without an admin."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, User
from storefront.accounts.sessions import end_all_sessions
from storefront.audit import record_audit
from storefront.database import transactional
from storefront.errors import Conflict, NotFound, ValidationFailed
from storefront.extensions import db


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted:
        raise NotFound("That user does not exist.")
    return user


def _other_active_admins(user_id: int) -> int:
    """Count the active admins besides `user_id`, locking their rows so two demotions queue."""
    rows = db.session.scalars(
        select(User.id)
        .where(
            User.role == ROLE_ADMIN,
            User.is_active.is_(True),
            User.deleted_at.is_(None),
            User.id != user_id,
        )
        .with_for_update()
    ).all()
    return len(rows)


@transactional
def set_user_role(actor, user_id: int, role: str) -> User:
    """Promote a user to admin or demote one to customer; the last active admin stays."""
    if role not in (ROLE_ADMIN, ROLE_CUSTOMER):
        raise ValidationFailed("Choose admin or customer.", field="role")
    user = _get_user(user_id)
    if user.role == role:
        return user
    if role == ROLE_CUSTOMER and user.is_active and _other_active_admins(user.id) == 0:
        raise Conflict(f"{user.email} is the last admin; promote someone else first.")
    user.role = role
    action = "user.promote" if role == ROLE_ADMIN else "user.demote"
    record_audit(actor, action, "user", user.id, f"{user.email} is now {role}")
    return user


@transactional
def set_user_active(actor, user_id: int, active: bool) -> User:
    """Enable or disable a user; disabling ends all of their sessions at once."""
    user = _get_user(user_id)
    if user.is_active == active:
        return user
    if not active:
        if user.id == getattr(actor, "id", None):
            raise Conflict("You cannot disable your own account.")
        if user.role == ROLE_ADMIN and _other_active_admins(user.id) == 0:
            raise Conflict(f"{user.email} is the last admin; promote someone else first.")
        end_all_sessions(user.id)
    user.is_active = active
    action = "user.enable" if active else "user.disable"
    record_audit(actor, action, "user", user.id, f"{user.email} {action.split('.')[1]}d")
    return user
