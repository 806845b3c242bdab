"""The order-confirmation email, queued in the transaction that places the order."""

from __future__ import annotations

from flask import current_app, has_request_context, render_template, url_for

from storefront.mail import send_mail
from storefront.orders.models import Order
from storefront.orders.payments import payment_label, payment_provider


def send_order_confirmation(order: Order) -> None:
    """Queue the customer's confirmation: reference, lines, totals and how to pay.

    Called inside the placing transaction, so the mail is committed with the order; its key
    names the order, so a placement that runs again for the same order queues nothing more.
    """
    if not order.customer_email:
        return
    settings = current_app.config
    provider = payment_provider(order.payment_method)
    link = (
        url_for("orders.detail", reference=order.reference, _external=True)
        if has_request_context()
        else None
    )
    context = {
        "order": order,
        "payment_label": payment_label(order.payment_method),
        "instructions": provider.instructions(order, settings),
        "link": link,
    }
    send_mail(
        order.customer_email,
        f"Your order {order.reference} at {settings['STOREFRONT_NAME']}",
        render_template("orders/email/confirmation.txt", **context),
        html=render_template("orders/email/confirmation.html", **context),
        key=f"order-confirmation:{order.id}",
    )
