"""Back-office user management: roles and access, never leaving the shop without an admin."""

from __future__ import annotations

from storefront.accounts.admins import ensure_another_admin
from storefront.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, User
from storefront.accounts.sessions import end_all_sessions
from storefront.audit import record_audit
from storefront.database import transactional
from storefront.errors import Conflict, NotFound, ValidationFailed
from storefront.extensions import db


def _last_admin_message(user: User) -> str:
    return f"{user.email} is the last admin; promote someone else first."


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted:
        raise NotFound("That user does not exist.")
    return user


@transactional
def set_user_role(actor, user_id: int, role: str) -> User:
    """Promote a user to admin or demote one to customer; the last active admin stays."""
    if role not in (ROLE_ADMIN, ROLE_CUSTOMER):
        raise ValidationFailed("Choose admin or customer.", field="role")
    user = _get_user(user_id)
    if user.role == role:
        return user
    if role == ROLE_CUSTOMER and user.is_active:
        ensure_another_admin(user.id, _last_admin_message(user))
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
        if user.role == ROLE_ADMIN:
            ensure_another_admin(user.id, _last_admin_message(user))
        end_all_sessions(user.id)
    user.is_active = active
    action = "user.enable" if active else "user.disable"
    record_audit(actor, action, "user", user.id, f"{user.email} {action.split('.')[1]}d")
    return user
