"""Back-office dashboard (foundation version: replaced by the back-office issue)."""

from flask import redirect, url_for

from storefront.admin import bp


@bp.get("/")
def dashboard():
    """Show the dashboard."""
    return redirect(url_for("catalog.home"))
