"""The last-admin rule: the shop always keeps one active admin, however requests interleave."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts.models import ROLE_ADMIN, User
from storefront.errors import Conflict
from storefront.extensions import db


class LastAdmin(Conflict):
    """The change would leave the shop without an active admin."""

    code = "last_admin"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def ensure_another_admin(user_id: int, message: str, field: str | None = None) -> None:
    """Raise LastAdmin unless an active admin other than `user_id` remains.

    Call it inside the write transaction that demotes, disables or deletes `user_id`. It locks
    every active admin's row, this one included and in id order, so two such changes queue:
    the second counts again after the first commits and sees what the first took away.
    """
    admins = db.session.scalars(
        select(User.id)
        .where(User.role == ROLE_ADMIN, User.is_active.is_(True), User.deleted_at.is_(None))
        .order_by(User.id)
        .with_for_update()
    ).all()
    if not any(admin_id != user_id for admin_id in admins):
        raise LastAdmin(message, field=field)
