"""Placing an order: one transaction that re-prices the cart, takes stock and writes the order.

Exactly one order per checkout token: a repeat (double click, resubmitted form, second tab)
returns the order the first submit placed.
"""

from __future__ import annotations

import functools
import logging
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from storefront.accounts.models import Address, User
from storefront.cart.models import CartLine
from storefront.cart.owners import CartOwner, find_cart
from storefront.cart.pricing import ISSUE_ARCHIVED, ISSUE_PRICE_CHANGED, line_issues
from storefront.database import on_commit, transactional
from storefront.errors import Conflict, NotFound, ValidationFailed
from storefront.extensions import db
from storefront.inventory.services import take_stock_for_order
from storefront.orders.emails import send_order_confirmation
from storefront.orders.models import Order, OrderEvent, OrderLine
from storefront.orders.payments import payment_provider
from storefront.orders.shipping import shipping_option

log = logging.getLogger(__name__)

# No 0/O, 1/I/L: a reference read out over the phone cannot be misheard.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 10


@dataclass(frozen=True)
class ShippingAddress:
    """Where an order goes; copied onto the order, optionally saved to the address book."""

    full_name: str
    street: str
    city: str
    postal_code: str
    country: str
    phone: str = ""

    def one_line(self) -> str:
        """Return the address on one line."""
        return f"{self.full_name}, {self.street}, {self.postal_code} {self.city}, {self.country}"


def new_reference() -> str:
    """Return a random public order reference such as 'K7QX2MHD9A'."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def new_checkout_token() -> str:
    """Return a random token that names one checkout."""
    return secrets.token_urlsafe(32)


def _order_for_token(checkout_token: str, user_id: int) -> Order | None:
    order = db.session.execute(
        select(Order).where(Order.checkout_token == checkout_token)
    ).scalar_one_or_none()
    if order is not None and order.user_id != user_id:
        raise Conflict("This checkout was already used. Please start again from your cart.")
    return order


def _save_address(user_id: int, address: ShippingAddress) -> None:
    saved = db.session.scalars(select(Address).where(Address.user_id == user_id)).all()
    if any(
        entry.one_line() == address.one_line() and entry.phone == address.phone for entry in saved
    ):
        return
    db.session.add(
        Address(
            user_id=user_id,
            full_name=address.full_name,
            street=address.street,
            city=address.city,
            postal_code=address.postal_code,
            country=address.country,
            phone=address.phone,
        )
    )


def _order_line(order_id: int, line) -> OrderLine:
    """Return the order's copy of a cart line: what was bought, at what price."""
    variant = line.variant
    return OrderLine(
        order_id=order_id,
        product_id=variant.product_id,
        variant_id=variant.id,
        product_name=variant.product.name[:200],
        sku=variant.sku,
        variant_label=variant.label,
        unit_price_cents=variant.price_cents,
        quantity=line.quantity,
        line_total_cents=variant.price_cents * line.quantity,
    )


def _insert_rows(model, records: list) -> None:
    """INSERT the columns set on `records` (new, never added to the session) in one statement."""
    table = model.__table__
    rows = [
        {key: value for key, value in inspect(record).dict.items() if key in table.c}
        for record in records
    ]
    db.session.execute(insert(table), rows)


@transactional
def _place(
    user_id: int,
    checkout_token: str,
    address: ShippingAddress,
    shipping_code: str,
    payment_code: str,
    save_address: bool,
) -> Order:
    settings = current_app.config
    customer = db.session.get(User, user_id)
    if customer is None or customer.deleted_at is not None:
        raise NotFound("Your account could not be found.")
    # Lock the cart first: a second submit of this checkout waits here, then finds the cart
    # emptied by the first and returns its order. (A token used while the cart holds lines
    # again fails at the order's unique token instead; see place_order.)
    cart = find_cart(CartOwner.user(user_id), lock=True)
    if cart is None or not cart.lines:
        existing = _order_for_token(checkout_token, user_id)
        if existing is not None:
            return existing
        raise ValidationFailed("Your cart is empty.")
    currency = settings["STOREFRONT_CURRENCY"]
    lines = sorted(cart.lines, key=lambda line: line.variant_id)
    for line in lines:
        issues = line_issues(line, currency)
        if ISSUE_ARCHIVED in issues or ISSUE_PRICE_CHANGED in issues:
            raise Conflict(
                "Some items in your cart changed since you added them. Please check your cart.",
                issues=issues,
            )
    subtotal = sum(line.variant.price_cents * line.quantity for line in lines)
    shipping = shipping_option(settings["SHIPPING_METHODS"], shipping_code, subtotal)
    provider = payment_provider(payment_code)

    order = Order(
        reference=new_reference(),
        checkout_token=checkout_token,
        user_id=user_id,
        customer_name=customer.name or address.full_name,
        customer_email=customer.email or "",
        status=provider.initial_status,
        currency=currency,
        subtotal_cents=subtotal,
        shipping_cents=shipping.price_cents,
        total_cents=subtotal + shipping.price_cents,
        shipping_method=shipping.code,
        shipping_label=shipping.label[:100],
        payment_method=provider.code,
        ship_name=address.full_name,
        ship_street=address.street,
        ship_city=address.city,
        ship_postal_code=address.postal_code,
        ship_country=address.country,
        ship_phone=address.phone,
        # Empty collections, known to be empty: appending below loads nothing.
        lines=[],
        events=[],
    )
    db.session.add(order)
    db.session.flush()  # the id for the stock ledger; a repeated token fails here
    # Stock before the lines: the variant rows are locked in id order and nowhere else.
    take_stock_for_order({line.variant_id: line.quantity for line in lines}, order.id, user_id)
    order_lines = [_order_line(order.id, line) for line in lines]
    event = OrderEvent(
        order_id=order.id,
        from_status=None,
        to_status=order.status,
        actor_id=user_id,
        note="Order placed",
        created_at=order.created_at,
    )
    # Written with plain INSERTs, not the unit of work: the order owns them from the start and
    # nothing in this transaction reads them back. The order keeps them loaded for its email.
    _insert_rows(OrderLine, order_lines)
    _insert_rows(OrderEvent, [event])
    set_committed_value(order, "lines", order_lines)
    set_committed_value(order, "events", [event])
    if save_address:
        _save_address(user_id, address)
    db.session.execute(delete(CartLine).where(CartLine.cart_id == cart.id))
    # Written once committed, from the records still in memory, and queued for sending.
    on_commit(functools.partial(send_order_confirmation, order))
    return order


def place_order(
    user_id: int,
    checkout_token: str,
    address: ShippingAddress,
    shipping_method: str,
    payment_method: str,
    save_address: bool = False,
) -> Order:
    """Place the user's cart as an order in one transaction, once per checkout token.

    Raises InsufficientStock (nothing written) when a line is short, Conflict when the cart
    changed since the customer saw it, ValidationFailed for an empty cart or a bad choice.
    The confirmation email goes out after the commit, for a new order only.
    """
    if not checkout_token:
        raise ValidationFailed("This checkout has expired; please review your order again.")
    try:
        return _place(
            user_id, checkout_token, address, shipping_method, payment_method, save_address
        )
    except IntegrityError:
        # This checkout's order exists (a concurrent submit committed first, or the cart
        # was filled again after it): that order is the answer.
        existing = _order_for_token(checkout_token, user_id)
        if existing is None:
            raise
        return existing
