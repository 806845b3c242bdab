"""What signing in and out does to this browser: the session, and the remember-me cookie."""

from __future__ import annotations

import copy

from flask import Response, after_this_request, current_app, session
from flask_login import login_user, logout_user
from flask_login.config import COOKIE_NAME

from storefront.accounts.models import User


def sign_in(user: User, remember: bool = False) -> None:
    """Give this browser a fresh session for `user`.

    Flask-Login's `user_logged_in` signal lets other packages act on the login (the cart
    merges the guest cart). Whatever the session held before the login and the login left
    untouched is then dropped: nothing planted before it survives (no session fixation).
    """
    before = copy.deepcopy(dict(session))  # flash() appends to the stored list in place
    login_user(user, remember=remember)
    for key, value in before.items():
        if key in session and session[key] == value:
            session.pop(key)
    session.permanent = True


def sign_out() -> None:
    """End this browser's sign-in: the session goes, and so does the remember-me cookie."""
    logout_user()
    session.clear()
    forget_remember_me()


def forget_remember_me() -> None:
    """Delete the remember-me cookie from this browser with the response."""

    @after_this_request
    def expire_cookie(response: Response) -> Response:
        settings = current_app.config
        response.delete_cookie(
            settings.get("REMEMBER_COOKIE_NAME", COOKIE_NAME),
            path=settings.get("REMEMBER_COOKIE_PATH", "/"),
            domain=settings.get("REMEMBER_COOKIE_DOMAIN"),
            secure=settings.get("REMEMBER_COOKIE_SECURE", False),
            httponly=settings.get("REMEMBER_COOKIE_HTTPONLY", True),
            samesite=settings.get("REMEMBER_COOKIE_SAMESITE"),
        )
        return response
