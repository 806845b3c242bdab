"""Every back-office route refuses guests and customers, for GET and POST alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront import config, create_app
from storefront.mail import send_mail
from storefront.outbox.models import OutboxMessage


def admin_routes() -> list[str]:
    """Return the rule of every /admin route, read from the app's URL map."""
    app = create_app(config.TestConfig("sqlite://", "/tmp/storefront-url-map"))
    return sorted(
        {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")}
    )


ROUTES = admin_routes()


@pytest.fixture
def shop_records(db, make, place_order):
    """Create one of every record the routes name, so a missing guard would answer 2xx."""
    category = make.category()
    product = make.product(category=category, sizes={"41": 3, "42": 4})
    image = make.image(product)
    customer = make.user()
    order = place_order({product.variants[0]: 1}, user=customer)
    send_mail("buyer@example.com", "Your order", "Thanks", key="access-matrix:1")
    return {
        "product_id": product.id,
        "variant_id": product.variants[0].id,
        "image_id": image.id,
        "category_id": category.id,
        "order_id": order.id,
        "user_id": customer.id,
        "message_id": db.session.scalar(select(OutboxMessage.id)),
        "action": "receive",
        "name": "order-confirmation",
    }


def url_for_rule(rule: str, values: dict) -> str:
    import re

    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def test_the_matrix_covers_every_back_office_area():
    for area in ("products", "categories", "inventory", "orders", "users", "audit", "images"):
        assert any(area in rule for rule in ROUTES), area
    assert len(ROUTES) >= 25


@pytest.mark.parametrize("rule", ROUTES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_anonymous_visitor_is_sent_to_log_in(client, shop_records, rule, method):
    url = url_for_rule(rule, shop_records)
    data = {"status": "paid", "role": "admin", "active": "0"}
    response = client.open(url, method=method, data=data if method == "POST" else None)
    assert not 200 <= response.status_code < 300
    if response.status_code != 405:
        assert response.status_code in (302, 303)
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("rule", ROUTES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_customer_is_refused(client, login_as, make, shop_records, rule, method):
    login_as(client, make.user())
    url = url_for_rule(rule, shop_records)
    data = {"status": "paid", "role": "admin", "active": "0"}
    response = client.open(url, method=method, data=data if method == "POST" else None)
    assert not 200 <= response.status_code < 300
    assert response.status_code in (403, 405)


def test_admin_can_open_every_back_office_page(admin_client, shop_records):
    for rule in ROUTES:
        url = url_for_rule(rule, shop_records)
        response = admin_client.get(url)
        if response.status_code == 405:
            continue  # POST-only action
        assert response.status_code == 200, url
