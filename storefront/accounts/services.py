"""Account use cases: each one transaction, explicit arguments, ShopErrors for refusals."""

from __future__ import annotations

import logging

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.accounts.models import ROLE_ADMIN, User
from storefront.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from storefront.accounts.sessions import end_all_sessions, end_login_session, start_login_session
from storefront.database import transactional
from storefront.errors import Conflict, NotFound, ShopError, ValidationFailed
from storefront.extensions import db
from storefront.mail import send_mail
from storefront.models_base import utcnow

log = logging.getLogger(__name__)


class InvalidCredentials(ShopError):
    """Wrong email or wrong password; deliberately does not say which."""

    code = "invalid_credentials"
    status = 400

    def __init__(self) -> None:
        super().__init__("That email and password do not match an account.")


class AccountDisabled(ShopError):
    """The password was right but the shop has disabled this account."""

    code = "account_disabled"
    status = 403

    def __init__(self) -> None:
        super().__init__("This account has been disabled. Please contact the shop.")


class EmailNotConfirmed(ShopError):
    """The account's address was never proved, so it may not be moved to another."""

    code = "email_not_confirmed"
    status = 403
    field = "email"

    def __init__(self) -> None:
        super().__init__(
            "Confirm your current address first (with the link we emailed you) before you "
            "change it."
        )


class EmailTaken(Conflict):
    """Another account already uses this email address (in any case)."""

    code = "email_taken"
    field = "email"

    def __init__(self) -> None:
        super().__init__("An account with this email address already exists.")


def normalize_email(email: str) -> str:
    """Return the address in the one form the shop stores: trimmed and lower case."""
    return (email or "").strip().lower()


def checked_email(email: str) -> str:
    """Return the normalised address, or raise ValidationFailed if it is not one."""
    try:
        validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationFailed(str(error), field="email") from None
    return normalize_email(email)


def find_user_by_email(email: str) -> User | None:
    """Return the user with this email in any case, or None."""
    return db.session.execute(
        select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


def _live_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted:
        raise NotFound("That account does not exist.")
    return user


def check_strength(password: str, user: User | None = None, *context: str) -> None:
    """Raise ValidationFailed, telling why, if the password is too weak for this person."""
    inputs = (*context, *((user.email or "", user.name) if user else ()))
    problem = password_problem(password, tuple(value for value in inputs if value))
    if problem:
        raise ValidationFailed(problem, field="password")


def _check_current_password(user: User, password: str, field: str) -> None:
    if not verify_password(user.password_hash, password):
        raise ValidationFailed("That is not your current password.", field=field)


def claim_email(user: User, email: str) -> None:
    """Give `user` the address, refusing one that another account holds (in any case)."""
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise EmailTaken()
    user.email = email
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent registration took the address between the check and the write.
        raise EmailTaken() from None


@transactional
def log_in(email: str, password: str, user_agent: str = "") -> User:
    """Check the credentials and start a login session; the user carries its token."""
    user = find_user_by_email(email) if len(email or "") <= 254 else None
    # Unknown emails are verified against a dummy hash: same effort, same answer.
    if not verify_password(user.password_hash if user else None, password):
        # Security log: which account was tried, never the password.
        log.warning("login refused: wrong credentials for user %s", user.id if user else None)
        raise InvalidCredentials()
    if not user.is_active or user.is_deleted:
        log.warning("login refused: user %s is disabled", user.id)
        raise AccountDisabled()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    start_login_session(user, user_agent)
    return user


@transactional
def log_out(token: str | None) -> None:
    """End the login session named by `token`, wherever its cookie was copied."""
    end_login_session(token)


@transactional
def change_name(user_id: int, name: str) -> User:
    """Change the name the shop uses for this person."""
    user = _live_user(user_id)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("Enter your name.", field="name")
    user.name = name[:100]
    return user


def change_email(user_id: int, new_email: str, password: str) -> str:
    """Move the account to another address after checking the password; return the new one."""
    old_email, email = _move_email(user_id, new_email, password)
    if old_email and old_email != email:
        # After the commit, so the mail never announces a change that rolled back.
        _notify(old_email, "Your email address was changed", _EMAIL_CHANGED.format(email))
    return email


@transactional
def _move_email(user_id: int, new_email: str, password: str) -> tuple[str | None, str]:
    user = _live_user(user_id)
    _check_current_password(user, password, "email_password")
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    old_email = user.email
    claim_email(user, checked_email(new_email))
    return old_email, user.email


def change_password(
    user_id: int, current_password: str, new_password: str, keep_token: str | None
) -> None:
    """Set a new password and end every other session of this user."""
    email = _replace_password(user_id, current_password, new_password, keep_token)
    _notify(email, "Your password was changed", _PASSWORD_CHANGED)


@transactional
def _replace_password(
    user_id: int, current_password: str, new_password: str, keep_token: str | None
) -> str | None:
    user = _live_user(user_id)
    _check_current_password(user, current_password, "current_password")
    try:
        check_strength(new_password, user)
    except ValidationFailed as error:
        raise ValidationFailed(error.message, field="new_password") from None
    user.password_hash = hash_password(new_password)
    end_all_sessions(user.id, keep_token=keep_token)
    log.info("user %s changed their password; other sessions ended", user.id)
    return user.email


@transactional
def create_or_promote_admin(email: str, password: str, name: str) -> tuple[User, bool]:
    """Create an admin, or make an existing user one; return (user, created)."""
    email = checked_email(email)
    problem = password_problem(password, (email, name))
    if problem:
        raise ValidationFailed(problem, field="password")
    user = find_user_by_email(email)
    created = user is None
    if created:
        user = User(email=email, name=name.strip() or email.split("@")[0])
        db.session.add(user)
    user.role = ROLE_ADMIN
    user.is_active = True
    # The operator who runs the command vouches for the address.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.password_hash = hash_password(password)
    if name.strip():
        user.name = name.strip()
    db.session.flush()
    return user, created


@transactional
def warn_owner_of_attack(email: str, reset_link: str) -> None:
    """Tell the owner of `email` that logins from new devices are paused by many failures."""
    user = find_user_by_email(email)
    if user is None or not user.is_active or user.is_deleted:
        return
    log.warning("user %s is under a password-guessing attack; owner told", user.id)
    _notify(user.email, "Someone is trying to log in to your account", _UNDER_ATTACK % reset_link)


_UNDER_ATTACK = (
    "Hello,\n\nsomeone has tried many wrong passwords on your account, so logins to it from "
    "devices it has not been used on are paused for up to an hour. On a device where you "
    "have logged in before, you can still log in as usual.\n\nIf this was not you, your "
    "password held; if you are unsure it is a strong one, choose a new one here:\n%s\n"
)
_EMAIL_CHANGED = (
    "Hello,\n\nthe email address of your account was changed to {}.\n\n"
    "If you did not do this, please contact us straight away.\n"
)
_PASSWORD_CHANGED = (
    "Hello,\n\nthe password of your account was just changed, and every other device "
    "was logged out.\n\nIf you did not do this, please reset your password straight away.\n"
)


def _notify(to: str | None, subject: str, body: str) -> None:
    """Tell the account holder about a security-relevant change (best effort)."""
    if to:
        send_mail(to, f"{subject} · {current_app.config['STOREFRONT_NAME']}", body)
