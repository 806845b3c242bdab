"""The back-office blueprint and the guard that covers every one of its routes."""

from flask import Blueprint, render_template

from storefront.accounts.decorators import admin_required
from storefront.params import InvalidParameter

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
@admin_required
def require_admin():
    """Guard every back-office route at once: guests go to log in, customers get 403."""
    return None


@bp.errorhandler(InvalidParameter)
def invalid_parameter(error: InvalidParameter):
    """Say which query argument a list page refused (a page, an id or a date out of range)."""
    page = render_template(
        "errors/error.html", status=400, title="Bad request", message=error.message
    )
    return page, 400
