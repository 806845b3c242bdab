"""Markup typed into product fields shows as text, in the shop and in the back office."""

from __future__ import annotations

from sqlalchemy import select

from storefront.catalog.models import Product

NAME = "<script>alert(1)</script>"
DESCRIPTION = "<img src=x onerror=alert(1)>"


def test_product_with_markup_in_name_and_description_shows_as_text_everywhere(
    db, admin_client, client, make, place_order
):
    response = admin_client.post(
        "/admin/products/new",
        data={
            "name": NAME,
            "description": DESCRIPTION,
            "base_price": "49.90",
            "category_id": "0",
            "is_active": "y",
            "sku": "XSS-1",
            "label": "42",
            "initial_stock": "1",
            "low_stock_threshold": "3",
        },
    )
    assert response.status_code == 302
    product = db.session.scalars(select(Product)).one()
    assert product.name == NAME and product.description == DESCRIPTION
    order = place_order({product.variants[0]: 1})

    pages = [
        "/admin/",
        "/admin/products",
        f"/admin/products/{product.id}",
        "/admin/inventory",
        f"/admin/inventory/{product.variants[0].id}",
        f"/admin/orders/{order.id}",
        "/admin/audit",
    ]
    for url in pages:
        page = admin_client.get(url).get_data(as_text=True)
        assert NAME not in page and DESCRIPTION not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    edit = admin_client.get(f"/admin/products/{product.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in edit

    shop_pages = ["/", f"/p/{product.slug}", "/products", "/search?q=alert"]
    seen = 0
    for url in shop_pages:
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert NAME not in page and DESCRIPTION not in page, url
        seen += "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert seen >= 1  # the shop lists the product, escaped
