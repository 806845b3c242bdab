"""Signing in and out: register, log in, log out, forgot and reset password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from storefront.accounts.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from storefront.accounts.models import User
from storefront.accounts.recovery import (
    LINK_INVALID,
    request_password_reset,
    reset_password,
    user_for_reset_token,
)
from storefront.accounts.redirects import safe_next_url
from storefront.accounts.services import log_in, log_out, normalize_email, register_user
from storefront.errors import ShopError
from storefront.extensions import limiter

bp = Blueprint("accounts", __name__, template_folder="templates")

FORM_INVALID = 422


def _account_key(prefix: str):
    """Return a rate-limit key function for the account named in the submitted email."""

    def key() -> str:
        return f"{prefix}:{normalize_email(request.form.get('email', ''))[:254]}"

    return key


def attach_error(form, error: ShopError, fields: dict[str, str] | None = None) -> int:
    """Show a service error beside its field (or as a flash) and return the status to send."""
    name = (fields or {}).get(getattr(error, "field", None), getattr(error, "field", None))
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
    return error.status if 400 <= error.status < 500 else 400


def sign_in(user: User, remember: bool = False) -> None:
    """Give this browser a fresh session for `user` and move the guest cart across."""
    from storefront.cart.services import merge_guest_cart
    from storefront.cart.session import guest_cart_token

    guest_token = guest_cart_token()
    session.clear()  # nothing from before the login survives: no session fixation
    session.permanent = True
    login_user(user, remember=remember)
    for note in merge_guest_cart(guest_token, user.id):
        flash(note, "info")


def _next_url(default_endpoint: str = "catalog.home") -> str:
    return safe_next_url(request.args.get("next")) or url_for(default_endpoint)


def _user_agent() -> str:
    return request.user_agent.string or ""


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=_account_key("login"))
def login():
    """Show the login form and sign the person in."""
    if current_user.is_authenticated:
        return redirect(_next_url("accounts.account"))
    form = LoginForm()
    status = 200
    if form.is_submitted():
        status = FORM_INVALID
        if form.validate():
            try:
                user = log_in(form.email.data, form.password.data, _user_agent())
            except ShopError as error:
                # One message above the form, never beside a field: no hint which one was wrong.
                flash(error.message, "danger")
                status = error.status
            else:
                sign_in(user, remember=form.remember.data)
                flash(f"Welcome back, {user.name or 'there'}! You are logged in.", "success")
                return redirect(_next_url())
    return render_template("accounts/login.html", form=form, next=_safe_next()), status


def _safe_next() -> str | None:
    return safe_next_url(request.args.get("next"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def register():
    """Show the registration form and create the account."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    status = 200
    if form.is_submitted():
        status = FORM_INVALID
        if form.validate():
            try:
                user = register_user(
                    form.name.data, form.email.data, form.password.data, _user_agent()
                )
            except ShopError as error:
                status = attach_error(form, error)
            else:
                sign_in(user)
                flash(
                    f"Welcome, {user.name}! Your account is ready and you are logged in.", "success"
                )
                return redirect(_next_url())
    return render_template("accounts/register.html", form=form, next=_safe_next()), status


@bp.post("/logout")
def logout():
    """End this login session everywhere its cookie was copied."""
    if current_user.is_authenticated:
        log_out(current_user.get_id())
    logout_user()
    session.clear()
    flash("You are logged out.", "success")
    return redirect(url_for("catalog.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_account_key("reset"))
def forgot_password():
    """Ask for an email and send a reset link; answer the same whether it is known or not."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = FORM_INVALID if form.is_submitted() else 200
        return render_template("accounts/forgot_password.html", form=form), status
    request_password_reset(
        form.email.data,
        lambda token: url_for("accounts.reset_password", token=token, _external=True),
    )
    flash(
        "If an account uses that address, we have emailed it a link to choose a new password. "
        "The link works once, within one hour.",
        "info",
    )
    return redirect(url_for("accounts.login"))


@bp.route("/reset-password/<token>", methods=["GET", "POST"], endpoint="reset_password")
@limiter.limit("10 per minute", methods=["POST"])
def reset_password_view(token: str):
    """Let the holder of a valid reset link choose a new password."""
    if user_for_reset_token(token) is None:
        flash(LINK_INVALID + " You can ask for a new one here.", "warning")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    status = 200
    if form.is_submitted():
        status = FORM_INVALID
        if form.validate():
            try:
                reset_password(token, form.password.data)
            except ShopError as error:
                status = attach_error(form, error)
            else:
                logout_user()
                session.clear()
                flash(
                    "Your password is changed and every session is logged out. "
                    "Please log in with the new password.",
                    "success",
                )
                return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, token=token), status


from storefront.accounts import account_pages  # noqa: E402,F401  (routes register on import)
