"""Login sessions: one row per signed-in browser, named in the cookie by a random token.

Flask's session cookie is signed, not stored, so it cannot be recalled. The cookie therefore
carries only a random token (Flask-Login's alternative id); the database keeps its SHA-256.
Deleting the row makes every copy of that cookie useless; deleting all of a user's rows ends
all of their sessions (password change, disabled user, deleted account).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, flash, redirect, url_for
from flask_login import LoginManager
from sqlalchemy import bindparam, delete, select

from storefront.accounts.models import LoginSession, User
from storefront.accounts.redirects import return_path_after_login
from storefront.extensions import db
from storefront.models_base import utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login_session(user, user_agent: str = "") -> str:
    """Add a login session for `user` to the current transaction and return its token."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(id=_digest(token), user_id=user.id, user_agent=user_agent[:255]))
    user.login_session_id = token
    return token


def end_login_session(token: str | None) -> None:
    """Delete the login session named by `token` (in the current transaction)."""
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.id == _digest(token)))


def end_all_sessions(user_id: int, keep_token: str | None = None) -> None:
    """Delete every login session of a user, except the one named by `keep_token`."""
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_token:
        query = query.where(LoginSession.id != _digest(keep_token))
    db.session.execute(query)


def _oldest_allowed_start() -> datetime:
    # However the cookie is kept, a login session lasts at most as long as "Remember me".
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    seconds = lifetime.total_seconds() if isinstance(lifetime, timedelta) else int(lifetime)
    return utcnow() - timedelta(seconds=seconds)


@functools.cache
def _user_by_session_statement():
    """The user and the start of the login session :digest, built once (every page runs it)."""
    return (
        select(User, LoginSession.created_at)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.id == bindparam("digest"))
    )


def load_user_for_token(token: str):
    """Return the active user whose live login session is named by `token`, or None."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(_user_by_session_statement(), {"digest": _digest(token)}).one_or_none()
    if row is None:
        return None
    user, started = row
    if not user.is_active or user.deleted_at is not None or started < _oldest_allowed_start():
        return None
    user.login_session_id = token
    return user


def register_user_loader(login_manager: LoginManager) -> None:
    """Tell Flask-Login how to find the user behind a cookie, and where to send guests."""
    login_manager.user_loader(load_user_for_token)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the server-side row is the protection

    @login_manager.unauthorized_handler
    def send_to_login():
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(url_for("accounts.login", next=return_path_after_login()))
