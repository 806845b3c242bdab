"""Cart pages (foundation version: replaced by the cart issue)."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("cart", __name__, template_folder="templates")


@bp.get("/cart")
def view():
    """Show the cart."""
    return redirect(url_for("catalog.home"))
