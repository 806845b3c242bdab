"""Password reset: a signed, timed link that dies once the password changes.

The link carries a fingerprint of the password hash it was made for, and the new password is
written by a conditional update on that same hash: of two requests racing with one link, the
second finds the hash already changed and is refused, on every database.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, update

from storefront.accounts.models import User
from storefront.accounts.passwords import hash_password, password_problem
from storefront.accounts.services import find_user_by_email
from storefront.accounts.sessions import end_all_sessions
from storefront.database import transactional
from storefront.errors import ValidationFailed
from storefront.extensions import db
from storefront.mail import send_mail
from storefront.models_base import utcnow

SALT = "password-reset"
log = logging.getLogger(__name__)
LINK_INVALID = "This reset link is invalid, has expired or has already been used."

_RESET_MAIL = """Hello {name},

someone (we hope you) asked to reset the password of your {shop} account.
Open this link to choose a new password; it works once, within one hour:

{link}

If you did not ask for this, ignore this message: your password stays as it is.
"""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    # Part of the signed payload: when the password changes, every older link stops working.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:24]


def make_reset_token(user: User) -> str:
    """Return a signed token naming `user` and their current password."""
    return _serializer().dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """Return the user a valid, unused, unexpired token names, or None."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        return None
    user = db.session.get(User, payload["user"])
    if user is None or user.is_deleted or not user.is_active:
        return None
    if payload.get("fp") != _fingerprint(user):
        return None
    return user


def request_password_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link if an active account has this email; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active or user.is_deleted or not user.email:
        return
    shop = current_app.config["STOREFRONT_NAME"]
    body = _RESET_MAIL.format(
        name=user.name or "there", shop=shop, link=link_for(make_reset_token(user))
    )
    send_mail(user.email, f"Reset your password · {shop}", body)


@transactional
def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link and end every session of that user."""
    user = user_for_reset_token(token)
    if user is None:
        raise ValidationFailed(LINK_INVALID, field=None)
    problem = password_problem(new_password, tuple(v for v in (user.email, user.name) if v))
    if problem:
        raise ValidationFailed(problem, field="password")
    changed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(
            password_hash=hash_password(new_password),
            # The link came to this address: following it proves the address.
            email_confirmed_at=func.coalesce(User.email_confirmed_at, utcnow()),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise ValidationFailed(LINK_INVALID, field=None)
    db.session.expire(user)
    end_all_sessions(user.id)
    log.info("user %s set a new password through a reset link; all sessions ended", user.id)
    return user
