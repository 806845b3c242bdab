"""The account page: change name, email or password, and delete the account."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from storefront.accounts.blueprint import FORM_INVALID, bp
from storefront.accounts.browser import forget_remember_me, sign_out
from storefront.accounts.deletion import delete_account as delete_account_service
from storefront.accounts.forms import (
    ChangeEmailForm,
    ChangeNameForm,
    ChangePasswordForm,
    DeleteAccountForm,
)
from storefront.accounts.services import change_email as change_email_service
from storefront.accounts.services import change_name as change_name_service
from storefront.accounts.services import change_password as change_password_service
from storefront.errors import ShopError
from storefront.forms_feedback import show_error


def _page(status: int = 200, **submitted):
    """Render the account page; `submitted` holds the form that was just posted, if any."""
    forms = {
        "name_form": ChangeNameForm(formdata=None, name=current_user.name),
        "email_form": ChangeEmailForm(formdata=None),
        "password_form": ChangePasswordForm(formdata=None),
        "delete_form": DeleteAccountForm(formdata=None),
    }
    forms.update(submitted)
    return render_template("accounts/account.html", **forms), status


@bp.get("/account")
@login_required
def account():
    """Show the account page."""
    return _page()


@bp.post("/account/name")
@login_required
def change_name():
    """Change the name the shop uses."""
    form = ChangeNameForm()
    if not form.validate():
        return _page(FORM_INVALID, name_form=form)
    try:
        change_name_service(current_user.id, form.name.data)
    except ShopError as error:
        return _page(show_error(error, form), name_form=form)
    flash("Your name is saved.", "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/email")
@login_required
def change_email():
    """Change the email address, after checking the current password."""
    form = ChangeEmailForm()
    if not form.validate():
        return _page(FORM_INVALID, email_form=form)
    try:
        email = change_email_service(current_user.id, form.new_email.data, form.email_password.data)
    except ShopError as error:
        return _page(show_error(error, form, {"email": "new_email"}), email_form=form)
    flash(f"Your email address is now {email}.", "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/password")
@login_required
def change_password():
    """Change the password and log out every other session."""
    form = ChangePasswordForm()
    if not form.validate():
        return _page(FORM_INVALID, password_form=form)
    try:
        change_password_service(
            current_user.id,
            form.current_password.data,
            form.new_password.data,
            keep_token=current_user.get_id(),
        )
    except ShopError as error:
        return _page(show_error(error, form), password_form=form)
    # The session goes on; a remember-me cookie made before the change does not.
    forget_remember_me()
    flash("Your password is changed; every other device has been logged out.", "success")
    return redirect(url_for("accounts.account"))


@bp.get("/account/delete")
@login_required
def confirm_account_deletion():
    """Ask for the password in the page (where the delete button leads without JavaScript)."""
    return _page(confirming_delete=True)


@bp.post("/account/delete")
@login_required
def delete_account():
    """Delete the account after checking the password, and log out everywhere."""
    form = DeleteAccountForm()
    if not form.validate():
        return _page(FORM_INVALID, delete_form=form)
    try:
        delete_account_service(current_user.id, form.delete_password.data)
    except ShopError as error:
        return _page(show_error(error, form), delete_form=form)
    sign_out()
    flash(
        "Your account is deleted: your name, email, password, addresses and cart are gone, and "
        "you are logged out everywhere. Your past orders stay in the shop's books, anonymised.",
        "success",
    )
    return redirect(url_for("catalog.home"))
