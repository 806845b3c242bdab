"""The one guard for back-office pages: guests go to the login page, customers get a 403."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from storefront.accounts.redirects import return_path_after_login


def admin_required(view: Callable) -> Callable:
    """Let only signed-in admins reach `view`; send guests to log in and refuse customers."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            flash("Please log in to continue.", "info")
            return redirect(url_for("accounts.login", next=return_path_after_login()))
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return guarded
