"""Checkout (details → review → place), confirmation, order history, detail and cancelling."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from storefront.cart.owners import CartOwner
from storefront.cart.quote import quote_order
from storefront.cart.services import cart_summary
from storefront.cart.shipping import shipping_options
from storefront.errors import InsufficientStock, NotFound, ShopError, ValidationFailed
from storefront.extensions import db
from storefront.forms_feedback import show_error
from storefront.orders import services
from storefront.orders.forms import ADDRESS_FIELDS, NEW_ADDRESS, CheckoutForm, PlaceOrderForm
from storefront.orders.models import STATUS_LABELS
from storefront.orders.payments import payment_label, payment_provider, payment_providers
from storefront.orders.placement import ShippingAddress, new_checkout_token, place_order
from storefront.params import InvalidParameter, parse_page

bp = Blueprint("orders", __name__, template_folder="templates")

CHECKOUT_TOKEN_KEY = "checkout_token"
ORDERS_PER_PAGE = 20


def _checkout_form(form_class=CheckoutForm):
    """Return the checkout form with its choices, and the cart priced now."""
    summary = cart_summary(CartOwner.user(current_user.id))
    options = shipping_options(current_app.config["SHIPPING_METHODS"], summary.subtotal_cents)
    addresses = services.saved_addresses(current_user.id)
    form = form_class()
    form.set_choices(addresses, options, payment_providers())
    return form, summary, {"shipping_options": options, "addresses": addresses}


def _place_order_form() -> PlaceOrderForm:
    """Return the submitted order form with the choices it is checked against, cart unpriced.

    place_order prices the cart itself, so only the offered codes matter here; the cart is
    priced for the page only if the form has to be shown again (_show_place_form_again).
    """
    form = PlaceOrderForm()
    codes_only = shipping_options(current_app.config["SHIPPING_METHODS"], 0)
    # A typed-in address needs no saved ones to check against (a form shown again loads them).
    new_address = request.form.get("address_choice") == NEW_ADDRESS
    addresses = [] if new_address else services.saved_addresses(current_user.id)
    form.set_choices(addresses, codes_only, payment_providers())
    return form


def _show_place_form_again(error: ShopError | None = None):
    """Show the checkout form with what was submitted, its errors and the cart priced now."""
    form, summary, context = _checkout_form(PlaceOrderForm)
    form.validate()
    status = show_error(error, form) if error is not None else 400
    return _render_checkout(form, summary, context, status)


def _cart_not_ready(summary):
    """Send the customer back to the cart when it is empty or has lines to fix."""
    if summary.is_empty:
        flash("Your cart is empty.", "info")
        return redirect(url_for("cart.view"))
    if summary.has_issues:
        flash("Some items in your cart changed. Please check them before checking out.", "warning")
        return redirect(url_for("cart.view"))
    return None


def _render_checkout(form, summary, context: dict, status: int = 200):
    return (
        render_template(
            "orders/checkout.html",
            form=form,
            summary=summary,
            cart_items=summary.item_count,
            providers=payment_providers(),
            address_fields=[name for name, *_ in ADDRESS_FIELDS],
            **context,
        ),
        status,
    )


def _address_from(form: CheckoutForm) -> ShippingAddress:
    """Return the address the form names: typed in, or one of the customer's saved ones."""
    if form.uses_new_address:
        return ShippingAddress(*(getattr(form, name).data or "" for name, *_ in ADDRESS_FIELDS))
    return services.saved_address(current_user.id, int(form.address_choice.data))


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    """Ask where to ship, how to ship and how to pay; then show the order for review."""
    form, summary, context = _checkout_form()
    not_ready = _cart_not_ready(summary)
    if not_ready is not None:
        return not_ready
    if not form.is_submitted() or request.form.get("edit"):
        return _render_checkout(form, summary, context)
    if not form.validate():
        return _render_checkout(form, summary, context, 400)
    try:
        address = _address_from(form)
    except ShopError as error:
        return _render_checkout(form, summary, context, show_error(error, form))
    # One token per checkout, shared by every tab of this session until an order is placed.
    token = session.get(CHECKOUT_TOKEN_KEY) or new_checkout_token()
    session[CHECKOUT_TOKEN_KEY] = token
    settings = current_app.config
    quote = quote_order(
        summary.lines,
        settings["SHIPPING_METHODS"],
        settings["STOREFRONT_CURRENCY"],
        form.shipping_method.data,
    )
    return render_template(
        "orders/review.html",
        form=form,
        summary=summary,
        cart_items=summary.item_count,
        address=address,
        quote=quote,
        provider=payment_provider(form.payment_method.data),
        checkout_token=token,
        address_fields=[name for name, *_ in ADDRESS_FIELDS],
    )


@bp.post("/checkout/place")
@login_required
def place():
    """Place the reviewed order (once per checkout token) and show the confirmation."""
    form = _place_order_form()
    if not form.validate():
        if form.checkout_token.errors:
            flash(form.checkout_token.errors[0], "warning")
            return redirect(url_for(".checkout"))
        return _show_place_form_again()
    try:
        order = place_order(
            current_user.id,
            form.checkout_token.data,
            _address_from(form),
            form.shipping_method.data,
            form.payment_method.data,
            save_address=bool(form.save_address.data and form.uses_new_address),
        )
    except InsufficientStock as error:
        left = "; ".join(f"{item['sku']}: {item['available']} left" for item in error.items)
        flash(f"Sorry, not enough stock for some items ({left}). Nothing was ordered.", "danger")
        return redirect(url_for("cart.view"))
    except ValidationFailed as error:
        if error.field:
            return _show_place_form_again(error)
        flash(error.message, "warning")
        return redirect(url_for("cart.view"))
    except ShopError as error:
        flash(error.message, "warning")
        return redirect(url_for("cart.view"))
    session.pop(CHECKOUT_TOKEN_KEY, None)
    return redirect(url_for(".confirmation", reference=order.reference))


def _own_order(reference: str):
    try:
        return services.customer_order(reference, current_user.id)
    except NotFound:
        abort(404)


def _instructions(order):
    return payment_provider(order.payment_method).instructions(order, current_app.config)


@bp.get("/orders/<reference>/thanks")
@login_required
def confirmation(reference: str):
    """Thank the customer and say how to pay."""
    order = _own_order(reference)
    return render_template(
        "orders/confirmation.html",
        order=order,
        payment_label=payment_label(order.payment_method),
        instructions=_instructions(order),
    )


@bp.get("/orders")
@login_required
def history():
    """List the customer's orders, newest first."""
    number, status = 1, 200
    try:
        number = parse_page(request.args.get("page"))
    except InvalidParameter as error:
        flash(error.message, "danger")  # and the first page, so the customer can go on
        status = error.status
    page = db.paginate(
        services.customer_orders_query(current_user.id),
        page=number,
        per_page=ORDERS_PER_PAGE,
        error_out=False,
    )
    return render_template("orders/history.html", page=page), status


@bp.get("/orders/<reference>")
@login_required
def detail(reference: str):
    """Show one of the customer's orders."""
    order = _own_order(reference)
    return render_template(
        "orders/detail.html",
        order=order,
        payment_label=payment_label(order.payment_method),
        instructions=_instructions(order) if services.can_cancel(order) else None,
        can_cancel=services.can_cancel(order),
        status_labels=STATUS_LABELS,
    )


@bp.post("/orders/<reference>/cancel")
@login_required
def cancel(reference: str):
    """Cancel the customer's order while it awaits payment."""
    try:
        order = services.cancel_order(reference, current_user.id)
    except NotFound:
        abort(404)
    except ShopError as error:
        flash(error.message, "danger")
        return redirect(url_for(".detail", reference=reference))
    flash(f"Order {order.reference} is cancelled.", "success")
    return redirect(url_for(".detail", reference=order.reference))
