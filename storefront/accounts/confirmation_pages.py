"""Confirming an email address: the mailed link, and a fresh link for a signed-in customer."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from storefront.accounts.blueprint import bp
from storefront.accounts.registration import (
    LINK_INVALID,
    resend_confirmation,
    user_for_confirmation_token,
)
from storefront.accounts.registration import (
    confirm_email as confirm_email_service,
)
from storefront.errors import ShopError
from storefront.extensions import limiter


def _confirmation_link(token: str) -> str:
    return url_for("accounts.confirm_email", token=token, _external=True)


@bp.get("/confirm-email/<token>", endpoint="confirm_email")
def confirmation_page(token: str):
    """Show the button that confirms the address (a link opened by a mail scanner does not)."""
    if user_for_confirmation_token(token) is None:
        flash(LINK_INVALID + " Log in to ask for a new one from your account page.", "warning")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/confirm_email.html", token=token)


@bp.post("/confirm-email/<token>")
@limiter.limit("10 per minute", methods=["POST"])
def confirm(token: str):
    """Mark the address as confirmed."""
    try:
        confirm_email_service(token)
    except ShopError as error:
        flash(error.message, "warning")
        return redirect(url_for("accounts.login"))
    flash("Thank you: your email address is confirmed.", "success")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    return redirect(url_for("accounts.login"))


@bp.post("/account/confirmation")
@login_required
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation_link():
    """Mail a fresh confirmation link to the account's address."""
    if resend_confirmation(current_user.id, _confirmation_link):
        flash(f"We have sent a new confirmation link to {current_user.email}.", "info")
    else:
        flash("Your email address is already confirmed.", "info")
    return redirect(url_for("accounts.account"))
