"""Login throttling with device cookies, so an attacker cannot lock the owner out.

OWASP's "device cookie" pattern. A successful login leaves a signed cookie in the browser
naming the account (a digest of its email) and a random nonce. A login or reset attempt that
carries a valid device cookie for the submitted account is a trusted one: it is limited per
device cookie, and failures elsewhere never stop it. Every other attempt is untrusted and
counts against the account's shared limit. Brute force stays capped either way: untrusted
guesses by the account's limit, a stolen device cookie by its own.

When the account's limit is reached the owner is mailed, once per hour (the limit's window).
The counters are Flask-Limiter's (in Redis when REDIS_URL is set).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Response, current_app, g, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse

from storefront.accounts.services import normalize_email, warn_owner_of_attack
from storefront.extensions import limiter

DEVICE_COOKIE = "device"
DEVICE_LIFETIME = timedelta(days=365)
_SALT = "login-device"
# Once per account and window, however many attempts the limit turns away.
_ATTACK_NOTICE = parse("1 per hour")

LOGIN_PER_ACCOUNT = "20 per hour"
LOGIN_PER_DEVICE = "10 per hour"
RESET_PER_ACCOUNT = "5 per hour"
RESET_PER_DEVICE = "5 per hour"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _account_digest(email: str) -> str:
    # The cookie names the account without showing its address to whoever reads the cookie.
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


def _submitted_email() -> str:
    return normalize_email(request.form.get("email", ""))[:254]


def issue_device_cookie(response: Response, email: str) -> Response:
    """Mark this browser as one where the owner of `email` has logged in."""
    value = _serializer().dumps({"a": _account_digest(email), "n": secrets.token_urlsafe(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=int(DEVICE_LIFETIME.total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def trusted_device() -> str | None:
    """Return the nonce of a valid device cookie for the submitted account, or None."""
    if "login_device" not in g:
        g.login_device = _read_device_cookie()
    return g.login_device


def _read_device_cookie() -> str | None:
    value = request.cookies.get(DEVICE_COOKIE)
    if not value or len(value) > 300:
        return None
    try:
        payload = _serializer().loads(value, max_age=int(DEVICE_LIFETIME.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("a") != _account_digest(_submitted_email()):
        return None
    nonce = payload.get("n")
    return nonce if isinstance(nonce, str) and nonce else None


def untrusted() -> bool:
    """Return True when the attempt carries no device cookie for the submitted account."""
    return trusted_device() is None


def per_account(prefix: str):
    """Return a key function for the account named in the submitted email."""

    def key() -> str:
        return f"{prefix}:{_submitted_email()}"

    return key


def per_device(prefix: str):
    """Return a key function for the device cookie the attempt carries."""

    def key() -> str:
        return f"{prefix}-device:{trusted_device() or ''}"

    return key


def failed(response: Response) -> bool:
    """Return True for an attempt that did not succeed (counted against the limits)."""
    return response.status_code >= 400


def warn_owner(request_limit) -> None:
    """Tell the owner of the submitted account, once per window, that it is under attack."""
    email = _submitted_email()
    if email and limiter.limiter.hit(_ATTACK_NOTICE, "attack-notice", email):
        warn_owner_of_attack(email, url_for("accounts.forgot_password", _external=True))
