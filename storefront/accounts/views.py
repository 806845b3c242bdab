"""Account pages (foundation version: replaced by the accounts issue)."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("accounts", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in."""
    return redirect(url_for("catalog.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Register."""
    return redirect(url_for("catalog.home"))


@bp.post("/logout")
def logout():
    """Log out."""
    return redirect(url_for("catalog.home"))


@bp.get("/account")
def account():
    """Show the account page."""
    return redirect(url_for("catalog.home"))
