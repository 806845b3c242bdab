"""The mails of a new order (the customer's confirmation, the owner's notice), queued with it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_request_context, render_template, url_for

from storefront.mail import send_mail
from storefront.models_base import utcnow
from storefront.money import format_money
from storefront.orders.models import Order, OrderLine
from storefront.orders.payments import payment_label, payment_provider


@dataclass(frozen=True)
class RenderedMail:
    """A mail ready to queue: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def confirmation_mail(order: Order) -> RenderedMail:
    """Render the confirmation of `order`: reference, lines, totals and how to pay."""
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
    return RenderedMail(
        subject=f"Your order {order.reference} at {settings['STOREFRONT_NAME']}",
        text=render_template("orders/email/confirmation.txt", **context),
        html=render_template("orders/email/confirmation.html", **context),
    )


def send_order_confirmation(order: Order) -> None:
    """Queue the customer's confirmation of `order`.

    Called inside the placing transaction, so the mail is committed with the order; its key
    names the order, so a placement that runs again for the same order queues nothing more.
    """
    if not order.customer_email:
        return
    mail = confirmation_mail(order)
    send_mail(
        order.customer_email,
        mail.subject,
        mail.text,
        html=mail.html,
        key=f"order-confirmation:{order.id}",
    )


def new_order_notice(order: Order) -> RenderedMail:
    """Render the owner's notice of a new order: who, what, how much, and where to see it."""
    link = (
        url_for("admin.order", order_id=order.id, _external=True) if has_request_context() else None
    )
    context = {"order": order, "payment_label": payment_label(order.payment_method), "link": link}
    total = format_money(order.total_cents, order.currency)
    return RenderedMail(
        subject=f"New order {order.reference}: {total} from {order.customer_name}",
        text=render_template("orders/email/new_order.txt", **context),
        html=render_template("orders/email/new_order.html", **context),
    )


def send_new_order_notice(order: Order) -> None:
    """Queue the owner's notice of `order` to MAIL_NEW_ORDER_TO, when that is set."""
    owner = current_app.config["MAIL_NEW_ORDER_TO"]
    if not owner:
        return
    mail = new_order_notice(order)
    send_mail(owner, mail.subject, mail.text, html=mail.html, key=f"new-order:{order.id}")


def queue_order_placed_mails(order: Order) -> None:
    """Queue every mail a new order causes, in the placing transaction."""
    send_order_confirmation(order)
    send_new_order_notice(order)


def sample_order() -> Order:
    """Return an order that is never saved, for previewing the mail in the back office."""
    currency = current_app.config["STOREFRONT_CURRENCY"]
    lines = [
        OrderLine(
            product_name="Trail Runner",
            sku="TRAIL-RUNNER-42",
            variant_label="42",
            unit_price_cents=8950,
            quantity=2,
            line_total_cents=17900,
        ),
        OrderLine(
            product_name="Everyday Sock",
            sku="SOCK-M",
            variant_label="M",
            unit_price_cents=900,
            quantity=1,
            line_total_cents=900,
        ),
    ]
    return Order(
        id=0,
        reference="SAMPLE2345",
        customer_name="Ada Customer",
        customer_email="ada@example.com",
        status="pending_payment",
        currency=currency,
        subtotal_cents=18800,
        shipping_cents=0,
        total_cents=18800,
        shipping_method="standard",
        shipping_label="Standard delivery (3–5 days)",
        payment_method="bank_transfer",
        ship_name="Ada Customer",
        ship_street="1 Shoe Lane",
        ship_city="Leeds",
        ship_postal_code="LS1 1AA",
        ship_country="United Kingdom",
        created_at=utcnow(),
        lines=lines,
    )
