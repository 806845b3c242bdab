"""Account use cases: each one transaction, explicit arguments, ShopErrors for refusals."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from storefront.accounts.models import ROLE_ADMIN, User
from storefront.accounts.passwords import hash_password, password_problem
from storefront.database import transactional
from storefront.errors import ValidationFailed
from storefront.extensions import db


def normalize_email(email: str) -> str:
    """Return the address in the one form the shop stores: trimmed and lower case."""
    return (email or "").strip().lower()


def checked_email(email: str) -> str:
    """Return the normalised address, or raise ValidationFailed if it is not one."""
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationFailed(str(error), field="email") from None
    return normalize_email(email)


def find_user_by_email(email: str) -> User | None:
    """Return the user with this email in any case, or None."""
    return db.session.execute(
        select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


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
    user.password_hash = hash_password(password)
    if name.strip():
        user.name = name.strip()
    db.session.flush()
    return user, created
