"""The back office through the browser's eyes: forms, errors beside fields, confirmations, CSV."""

from __future__ import annotations

import io

from sqlalchemy import select

from storefront.audit import AuditEntry
from storefront.catalog.models import Category, Product, Variant
from storefront.orders.models import Order


def post(client, url, **data):
    return client.post(url, data=data)


def test_dashboard_shows_figures_and_restock_links(admin_client, make):
    variant = make.product(name="Low Runner", sizes={"42": 1}).variants[0]
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Low Runner" in page and f"/admin/inventory/{variant.id}" in page
    assert "Revenue this week" in page


def test_product_form_with_bad_price_shows_the_error_beside_the_field(admin_client, db):
    response = post(
        admin_client,
        "/admin/products/new",
        name="Shoe",
        base_price="cheap",
        category_id="0",
        sku="S-1",
        initial_stock="0",
        low_stock_threshold="3",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="base_price-error"' in page and "Enter an amount" in page
    assert db.session.scalar(select(Product)) is None


def test_duplicate_slug_is_refused_beside_the_slug_field(admin_client, db, make):
    make.product(name="First", slug="first")
    response = post(
        admin_client,
        "/admin/products/new",
        name="First",
        base_price="10",
        category_id="0",
        sku="S-2",
        initial_stock="0",
        low_stock_threshold="3",
    )
    assert response.status_code == 409
    assert 'id="slug-error"' in response.get_data(as_text=True)


def test_delete_uses_a_confirmation_modal_that_posts(admin_client, make):
    product = make.product()
    page = admin_client.get(f"/admin/products/{product.id}").get_data(as_text=True)
    assert 'data-bs-toggle="modal"' in page
    assert f'method="post" action="/admin/products/{product.id}/delete"' in page
    assert "onclick" not in page and "<script>" not in page


def _confirmation_page(client, page_url: str, delete_url: str) -> str:
    """Follow a Delete button as a browser without JavaScript does: its link, to a page."""
    page = client.get(page_url).get_data(as_text=True)
    assert f'href="{delete_url}" role="button"' in page
    response = client.get(delete_url)
    assert response.status_code == 200
    confirmation = response.get_data(as_text=True)
    assert f'method="post" action="{delete_url}"' in confirmation
    return confirmation


def test_without_javascript_each_delete_button_leads_to_a_page_that_asks_then_deletes(
    admin_client, db, make
):
    shelf = make.category(name="Clearance")
    product = make.product(name="Old Clog", category=None, sizes={"41": 2, "42": 0})
    picture = make.image(product)
    product_id, variant_id, shelf_id = product.id, product.variants[0].id, shelf.id
    edit, shelf_delete = f"/admin/products/{product_id}", f"/admin/categories/{shelf_id}/delete"
    asks = [
        (edit, f"{edit}/images/{picture.id}/delete", "Delete this image?", "Delete"),
        (edit, f"{edit}/variants/{variant_id}/delete", "Remove option", "Remove"),
        ("/admin/products", f"{edit}/delete", "Delete Old Clog?", "Delete"),
        ("/admin/categories", shelf_delete, "Delete Clearance?", "Delete"),
    ]
    for page_url, delete_url, question, answer in asks:
        confirmation = _confirmation_page(admin_client, page_url, delete_url)
        assert question in confirmation
        assert f'<button type="submit" class="btn btn-danger">{answer}</button>' in confirmation
        assert post(admin_client, delete_url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product_id) is None
    assert db.session.get(Category, shelf_id) is None


def test_a_confirmation_page_for_something_that_is_not_there_is_404(admin_client, make):
    product = make.product()
    assert admin_client.get(f"/admin/products/{product.id}/images/999999/delete").status_code == 404
    assert admin_client.get(f"/admin/products/{product.id + 1000}/delete").status_code == 404
    assert admin_client.get("/admin/categories/999999/delete").status_code == 404


def test_deleting_an_ordered_product_archives_it_and_says_so(admin_client, db, make, place_order):
    product = make.product(name="Bestseller", sizes={"42": 3})
    place_order({product.variants[0]: 1})
    response = post(admin_client, f"/admin/products/{product.id}/delete")
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "archived" in page
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is False


def test_product_list_filters_by_stock_state_and_search(admin_client, make):
    make.product(name="Empty Boot", sizes={"42": 0})
    make.product(name="Full Runner", sizes={"42": 20})
    sold_out = admin_client.get("/admin/products?stock=sold_out").get_data(as_text=True)
    assert "Empty Boot" in sold_out and "Full Runner" not in sold_out
    found = admin_client.get("/admin/products?q=runner").get_data(as_text=True)
    assert "Full Runner" in found and "Empty Boot" not in found


def test_stock_change_needs_a_reason_beside_the_field(admin_client, db, make):
    variant = make.product(sizes={"42": 2}).variants[0]
    response = admin_client.post(
        f"/admin/inventory/{variant.id}/receive",
        data={
            "receive-action": "receive",
            "receive-quantity": "5",
            "receive-note": "",
        },
    )
    assert response.status_code == 400
    assert "Say why." in response.get_data(as_text=True)
    response = admin_client.post(
        f"/admin/inventory/{variant.id}/receive",
        data={
            "receive-action": "receive",
            "receive-quantity": "5",
            "receive-note": "Delivery 7",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Variant, variant.id).stock == 7
    history = admin_client.get(f"/admin/inventory/{variant.id}").get_data(as_text=True)
    assert "Delivery 7" in history


def test_refused_status_change_over_http_says_why_and_changes_nothing(
    admin_client, db, make, place_order
):
    order = place_order({make.product(sizes={"42": 3}).variants[0]: 1})
    response = post(admin_client, f"/admin/orders/{order.id}/status", status="delivered")
    assert response.status_code == 409
    assert "cannot be marked delivered" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "pending_payment"
    response = post(admin_client, f"/admin/orders/{order.id}/status", status="paid")
    assert response.status_code == 302
    page = admin_client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "Mark shipped" in page and "Pending payment → <strong>Paid</strong>" in page


def test_order_list_filters_by_email_and_status(admin_client, make, place_order):
    variant = make.product(sizes={"42": 5}).variants[0]
    place_order({variant: 1}, email="alice@example.com")
    place_order({variant: 1}, email="bob@example.com")
    page = admin_client.get("/admin/orders?email=alice").get_data(as_text=True)
    assert "alice@example.com" in page and "bob@example.com" not in page
    assert "alice" not in admin_client.get("/admin/orders?status=paid").get_data(as_text=True)


def test_csv_import_previews_then_applies(admin_client, db):
    csv_text = "sku,product_name,price,stock\nNEW-1,Import Shoe,19.99,4\n"
    preview = admin_client.post(
        "/admin/inventory/import",
        data={"file": (io.BytesIO(csv_text.encode()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200 and "will be created" in preview.get_data(as_text=True)
    assert db.session.scalar(select(Variant)) is None  # a dry run
    applied = post(admin_client, "/admin/inventory/import/apply", csv_text=csv_text)
    assert applied.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Variant.stock).where(Variant.sku == "NEW-1")) == 4


def test_csv_import_with_a_bad_row_lists_it_by_line(admin_client, db):
    csv_text = "sku,product_name,price,stock\nNEW-1,Shoe,19.99,4\nNEW-2,Shoe 2,abc,1\n"
    response = admin_client.post(
        "/admin/inventory/import",
        data={"file": (io.BytesIO(csv_text.encode()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Line 3: price" in response.get_data(as_text=True)
    assert post(admin_client, "/admin/inventory/import/apply", csv_text=csv_text).status_code == 400
    assert db.session.scalar(select(Variant)) is None


def test_exports_give_csv_with_formatted_money(admin_client, make):
    make.product(name="=HYPERLINK(evil)", sizes={"42": 3}, price_cents=4990, sku_prefix="EX")
    stock = admin_client.get("/admin/inventory/export/stock.csv")
    assert stock.mimetype == "text/csv"
    text = stock.get_data(as_text=True)
    assert "EX-42" in text and "49.90" in text and "'=HYPERLINK(evil)" in text
    movements = admin_client.get("/admin/inventory/export/movements.csv?reason=initial")
    assert "EX-42,3,3,initial" in movements.get_data(as_text=True)


def test_disabling_a_customer_over_http_is_audited(admin_client, db, make):
    customer = make.user(email="carl@example.com")
    response = post(admin_client, f"/admin/users/{customer.id}/active", active="0")
    assert response.status_code == 302
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "user.disable"
    page = admin_client.get("/admin/audit?action=user.disable").get_data(as_text=True)
    assert "carl@example.com" in page


def test_category_with_products_is_not_deleted_and_the_page_says_why(admin_client, make):
    shelf = make.category("Boots")
    make.product(category=shelf)
    response = post(admin_client, f"/admin/categories/{shelf.id}/delete")
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "still holds 1 product" in page
