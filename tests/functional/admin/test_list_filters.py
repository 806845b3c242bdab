"""The back office's lists filter by what the owner asks and refuse values out of range."""

from __future__ import annotations

import pytest

from storefront.admin.inventory import parse_movement_filters
from storefront.admin.orders import OrderFilters, parse_order_filters


def post(client, url, **data):
    return client.post(url, data=data)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/admin/orders?page=9223372036854775807", "The page number must be a whole number"),
        ("/admin/orders?user=99999999999999999999", "“user” must be a whole number"),
        ("/admin/orders?to=9999-12-31", "“to” must be a date (YYYY-MM-DD)"),
        ("/admin/orders?from=0000-00-00", "“from” must be a date (YYYY-MM-DD)"),
        ("/admin/products?category=9223372036854775808", "“category” must be a whole number"),
        ("/admin/products?page=-1", "The page number must be a whole number"),
        ("/admin/inventory?page=0", "The page number must be a whole number"),
        ("/admin/inventory/movements?variant=-9223372036854775809", "“variant” must be a whole"),
        ("/admin/inventory/movements?to=9999-12-31", "“to” must be a date"),
        ("/admin/inventory/export/movements.csv?from=0000-00-00", "“from” must be a date"),
        ("/admin/users?page=99999999999999999999", "The page number must be a whole number"),
        ("/admin/audit?to=9999-12-31", "“to” must be a date"),
    ],
)
def test_a_list_refuses_a_number_or_date_out_of_range_with_a_400_that_says_why(
    admin_client, url, message
):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_order_list_filters_by_customer_and_date(admin_client, make, place_order, db):
    shoe = make.product(name="Trail Shoe", sizes={"42": 5})
    ada, bob = make.user(), make.user()
    ada_order = place_order({shoe.variants[0]: 1}, email=ada.email, user=ada)
    bob_order = place_order({shoe.variants[0]: 1}, email=bob.email, user=bob)
    day = ada_order.created_at.date().isoformat()

    page = admin_client.get(f"/admin/orders?user={ada.id}&from={day}&to={day}").get_data(True)
    assert ada_order.reference in page and bob_order.reference not in page
    later = admin_client.get("/admin/orders?from=9998-01-01").get_data(as_text=True)
    assert ada_order.reference not in later


def test_filters_are_read_into_a_plain_record_before_any_query():
    filters = parse_order_filters({"status": "nonsense", "email": " Ada@Example.COM ", "page": "2"})
    assert filters == OrderFilters(email="ada@example.com", page=2)
    assert parse_movement_filters({"reason": "initial", "variant": ""}).reason == "initial"


def test_a_product_form_with_a_category_id_out_of_range_says_so_beside_the_field(
    admin_client, make
):
    product = make.product(name="Road Shoe")
    response = post(
        admin_client,
        f"/admin/products/{product.id}",
        name="Road Shoe",
        base_price="50",
        category_id="9223372036854775808",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="category_id-error"' in page and "Choose a category from the list." in page
