"""Back-office test fixtures (admin client, orders placed directly) for both admin folders."""

from __future__ import annotations

import secrets

import pytest

from storefront.database import write_transaction
from storefront.extensions import db as _db
from storefront.inventory.services import take_stock_for_order
from storefront.orders.models import Order, OrderLine


@pytest.fixture
def admin_user(db, make):
    """Return an admin."""
    return make.admin()


@pytest.fixture
def admin_client(client, login_as, admin_user):
    """Return a client signed in as an admin."""
    login_as(client, admin_user)
    return client


@pytest.fixture
def place_order(db):
    """Return a function that places an order for {variant: quantity}, taking stock."""

    def place(quantities: dict, email: str = "buyer@example.com", user=None) -> Order:
        with write_transaction():
            lines = []
            for variant, quantity in quantities.items():
                variant = _db.session.merge(variant)
                price = variant.price_cents
                lines.append(
                    OrderLine(
                        product_id=variant.product_id,
                        variant_id=variant.id,
                        product_name=variant.product.name,
                        sku=variant.sku,
                        variant_label=variant.label,
                        unit_price_cents=price,
                        quantity=quantity,
                        line_total_cents=price * quantity,
                    )
                )
            subtotal = sum(line.line_total_cents for line in lines)
            order = Order(
                reference=secrets.token_hex(4).upper(),
                checkout_token=secrets.token_hex(16),
                user_id=getattr(user, "id", None),
                customer_name="Bea Buyer",
                customer_email=email,
                currency="EUR",
                subtotal_cents=subtotal,
                shipping_cents=499,
                total_cents=subtotal + 499,
                shipping_method="standard",
                shipping_label="Standard delivery",
                payment_method="bank_transfer",
                ship_name="Bea Buyer",
                ship_street="1 Main St",
                ship_city="Town",
                ship_postal_code="12345",
                ship_country="Germany",
                lines=lines,
            )
            _db.session.add(order)
            _db.session.flush()
            take_stock_for_order(
                {line.variant_id: line.quantity for line in lines}, order.id, order.user_id
            )
        return order

    return place
