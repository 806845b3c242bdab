"""Cart pages: view the cart, add, change a quantity, remove a line, empty, accept changes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from storefront.accounts.redirects import safe_next_url
from storefront.cart import services
from storefront.cart.forms import parse_quantity, parse_variant_id
from storefront.cart.session import current_cart_owner, remember_guest_token
from storefront.errors import ShopError
from storefront.forms_feedback import show_error

bp = Blueprint("cart", __name__, template_folder="templates")


def render_cart(status: int = 200):
    """Render the cart page priced from the database now."""
    summary = services.cart_summary(current_cart_owner())
    return (
        render_template(
            "cart/view.html",
            summary=summary,
            cart_items=summary.item_count,
        ),
        status,
    )


def _refused(error: ShopError):
    """Show the cart again with the reason a change was refused (nothing was changed)."""
    return render_cart(show_error(error))


@bp.get("/cart")
def view():
    """Show the cart."""
    return render_cart()


@bp.post("/cart/add")
def add():
    """Add a product option to the cart, then go back where the customer was."""
    back = safe_next_url(request.form.get("next"))
    try:
        variant_id = parse_variant_id(request.form.get("variant_id"))
        quantity = parse_quantity(request.form.get("quantity"), default=1)
        added = services.add_to_cart(current_cart_owner(), variant_id, quantity)
    except ShopError as error:
        if back is None:
            return _refused(error)
        flash(error.message, "danger")
        return redirect(back)
    remember_guest_token(added.guest_token)
    flash(f"Added {added.quantity_added} × {added.item_name} to your cart.", "success")
    return redirect(back or url_for(".view"))


@bp.post("/cart/lines/<int:line_id>")
def update(line_id: int):
    """Change how many of one item the cart holds."""
    try:
        quantity = parse_quantity(request.form.get("quantity"))
        name = services.set_line_quantity(current_cart_owner(), line_id, quantity)
    except ShopError as error:
        return _refused(error)
    flash(f"{name}: quantity set to {quantity}.", "success")
    return redirect(url_for(".view"))


@bp.post("/cart/lines/<int:line_id>/remove")
def remove(line_id: int):
    """Remove one item from the cart."""
    try:
        name = services.remove_line(current_cart_owner(), line_id)
    except ShopError as error:
        return _refused(error)
    flash(f"{name} was removed from your cart.", "success")
    return redirect(url_for(".view"))


@bp.post("/cart/empty")
def empty():
    """Remove everything from the cart."""
    services.empty_cart(current_cart_owner())
    flash("Your cart is now empty.", "success")
    return redirect(url_for(".view"))


@bp.post("/cart/accept-changes")
def accept_changes():
    """Accept new prices and stock levels for the flagged lines."""
    notes = services.accept_cart_changes(current_cart_owner())
    for note in notes:
        flash(note, "info")
    if not notes:
        flash("Your cart is up to date.", "info")
    return redirect(url_for(".view"))
