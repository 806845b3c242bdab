"""The back office under /admin: one blueprint, one views module per domain."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from storefront.admin import dashboard  # noqa: E402,F401  (routes register on import)
