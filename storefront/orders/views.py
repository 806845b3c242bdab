"""Order pages (foundation version: replaced by the orders issue)."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("orders", __name__, template_folder="templates")


@bp.get("/orders")
def history():
    """Show the order history."""
    return redirect(url_for("catalog.home"))
