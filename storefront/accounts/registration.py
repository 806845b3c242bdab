"""Registration with email confirmation: the shop never tells whether an address has an account.

Whatever address is given, the person sees the same "check your inbox" page and one mail goes
to that address: a confirmation link for a new account, or, when the address already has an
account, a note saying so with links to log in or reset the password. Both paths hash the
password and send one mail, so they take comparable time.

An unconfirmed account can log in and shop. It may not change its email address: an address
that was never proved would otherwise pass to another one unproved, and the way out of a
mistyped address is to register again (or delete the account). A password reset, mailed to the
address, proves it too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from storefront.accounts.models import User
from storefront.accounts.passwords import hash_password
from storefront.accounts.services import (
    EmailTaken,
    check_strength,
    checked_email,
    claim_email,
    find_user_by_email,
)
from storefront.database import transactional
from storefront.errors import NotFound, ValidationFailed
from storefront.extensions import db
from storefront.mail import send_mail
from storefront.models_base import utcnow

log = logging.getLogger(__name__)
SALT = "email-confirmation"
CONFIRMATION_MAX_AGE = 7 * 86400
LINK_INVALID = "This confirmation link is invalid or has expired."

_CONFIRM_MAIL = """Hello {name},

welcome to {shop}! Please confirm your email address by opening this link
(it works for seven days):

{link}

If you did not create this account, someone else gave your address. You may ignore this
message, or make the account yours by choosing a new password ("Forgot password" on the
login page).
"""

_ALREADY_REGISTERED_MAIL = """Hello,

someone (perhaps you) tried to create a {shop} account with this email address, which
already has one. Nothing was changed.

If it was you, log in here: {login}
Forgot your password? Choose a new one here: {reset}

If it was not you, you can ignore this message.
"""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_confirmation_token(user: User) -> str:
    """Return a signed token that confirms `user`'s current email address."""
    return _serializer().dumps({"user": user.id, "email": user.email})


@transactional
def register_user(
    name: str, email: str, password: str, links: Callable[[str | None], dict[str, str]]
) -> None:
    """Create an unconfirmed account and mail its link, or mail the owner of a known address.

    `links(token)` returns the absolute URLs a mail may need: "confirm" (for `token`), "login"
    and "reset". The caller answers the same whichever happened.
    """
    email = checked_email(email)
    name = (name or "").strip()
    check_strength(password, None, email, name)
    password_hash = hash_password(password)  # on both paths: the same work either way
    shop = current_app.config["STOREFRONT_NAME"]
    if find_user_by_email(email) is not None:
        urls = links(None)
        body = _ALREADY_REGISTERED_MAIL.format(shop=shop, login=urls["login"], reset=urls["reset"])
        send_mail(email, f"Someone tried to register with your address · {shop}", body)
        log.info("registration for a known address: its owner was told")
        return
    user = User(name=name, password_hash=password_hash)
    db.session.add(user)
    try:
        claim_email(user, email)
    except EmailTaken:
        # A registration for the same address committed between the check and the write.
        log.info("registration raced another one for the same address")
        raise
    link = links(make_confirmation_token(user))["confirm"]
    body = _CONFIRM_MAIL.format(name=name or "there", shop=shop, link=link)
    send_mail(email, f"Confirm your email address · {shop}", body)


def user_for_confirmation_token(token: str) -> User | None:
    """Return the live user whose current address the token confirms, or None."""
    try:
        payload = _serializer().loads(token, max_age=CONFIRMATION_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        return None
    user = db.session.get(User, payload["user"])
    if user is None or user.is_deleted or not user.email or user.email != payload.get("email"):
        return None
    return user


@transactional
def confirm_email(token: str) -> User:
    """Mark the address named by a confirmation link as proved (again is harmless)."""
    user = user_for_confirmation_token(token)
    if user is None:
        raise ValidationFailed(LINK_INVALID)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        log.info("user %s confirmed their email address", user.id)
    return user


@transactional
def resend_confirmation(user_id: int, link_for: Callable[[str], str]) -> bool:
    """Mail a fresh confirmation link; return False if the address is already confirmed."""
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted or not user.email:
        raise NotFound("That account does not exist.")
    if user.email_confirmed:
        return False
    shop = current_app.config["STOREFRONT_NAME"]
    body = _CONFIRM_MAIL.format(
        name=user.name or "there", shop=shop, link=link_for(make_confirmation_token(user))
    )
    send_mail(user.email, f"Confirm your email address · {shop}", body)
    return True
