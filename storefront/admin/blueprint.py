"""The back-office blueprint and the guard that covers every one of its routes."""

from flask import Blueprint

from storefront.accounts.decorators import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
@admin_required
def require_admin():
    """Guard every back-office route at once: guests go to log in, customers get 403."""
    return None
