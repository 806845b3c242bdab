"""Signing in and out: register, confirm the address, log in, log out, reset the password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from storefront.accounts import (  # noqa: F401  (their routes join the blueprint)
    account_pages,
    confirmation_pages,
)
from storefront.accounts.blueprint import FORM_INVALID, bp
from storefront.accounts.browser import sign_in, sign_out
from storefront.accounts.devices import (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_DEVICE,
    RESET_PER_ACCOUNT,
    RESET_PER_DEVICE,
    failed,
    issue_device_cookie,
    per_account,
    per_device,
    untrusted,
    warn_owner,
)
from storefront.accounts.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from storefront.accounts.recovery import (
    LINK_INVALID,
    request_password_reset,
    reset_password,
    user_for_reset_token,
)
from storefront.accounts.redirects import safe_next_url
from storefront.accounts.registration import register_user
from storefront.accounts.services import EmailTaken, log_in, log_out
from storefront.errors import ShopError
from storefront.extensions import limiter
from storefront.forms_feedback import show_error


def _next_url(default_endpoint: str = "catalog.home") -> str:
    return safe_next_url(request.args.get("next")) or url_for(default_endpoint)


def _safe_next() -> str | None:
    return safe_next_url(request.args.get("next"))


def _user_agent() -> str:
    return request.user_agent.string or ""


def _trusted() -> bool:
    return not untrusted()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit(
    LOGIN_PER_ACCOUNT,
    methods=["POST"],
    key_func=per_account("login"),
    exempt_when=_trusted,
    deduct_when=failed,
    on_breach=warn_owner,
)
@limiter.limit(
    LOGIN_PER_DEVICE,
    methods=["POST"],
    key_func=per_device("login"),
    exempt_when=untrusted,
    deduct_when=failed,
)
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
                return issue_device_cookie(redirect(_next_url()), user.email)
    return render_template("accounts/login.html", form=form, next=_safe_next()), status


def _registration_links(token: str | None) -> dict[str, str]:
    links = {
        "login": url_for("accounts.login", _external=True),
        "reset": url_for("accounts.forgot_password", _external=True),
    }
    if token:
        links["confirm"] = url_for("accounts.confirm_email", token=token, _external=True)
    return links


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def register():
    """Show the registration form; answer "check your inbox" whether the address is known."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    status = 200
    if form.is_submitted():
        status = FORM_INVALID
        if form.validate():
            refused = _register(form)
            if refused is None:
                return redirect(url_for("accounts.registration_sent", next=_safe_next()))
            status = refused
    return render_template("accounts/register.html", form=form, next=_safe_next()), status


def _register(form: RegisterForm) -> int | None:
    """Run the registration; return the status of a refusal shown on the form, or None."""
    try:
        register_user(form.name.data, form.email.data, form.password.data, _registration_links)
    except EmailTaken:
        return None  # a twin registration committed first: the answer stays the same
    except ShopError as error:
        return show_error(error, form)
    return None


@bp.get("/register/check-your-inbox")
def registration_sent():
    """Tell the person to follow the link in the mail, and that they may log in already."""
    return render_template("accounts/registration_sent.html", next=_safe_next())


@bp.post("/logout")
def logout():
    """End this login session everywhere its cookie was copied, remember-me cookie included."""
    if current_user.is_authenticated:
        log_out(current_user.get_id())
    sign_out()
    flash("You are logged out.", "success")
    return redirect(url_for("catalog.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
@limiter.limit(
    RESET_PER_ACCOUNT,
    methods=["POST"],
    key_func=per_account("reset"),
    exempt_when=_trusted,
    on_breach=warn_owner,
)
@limiter.limit(
    RESET_PER_DEVICE, methods=["POST"], key_func=per_device("reset"), exempt_when=untrusted
)
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
                status = show_error(error, form)
            else:
                sign_out()
                flash(
                    "Your password is changed and every session is logged out. "
                    "Please log in with the new password.",
                    "success",
                )
                return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, token=token), status
