"""The owner previews every mail the shop sends, filled with sample data."""

from __future__ import annotations

from storefront.admin.mail_previews import PREVIEWS


def test_every_mail_has_a_preview_listed_in_the_back_office(admin_client):
    page = admin_client.get("/admin/outbox/previews").get_data(as_text=True)

    for name, (label, _render) in PREVIEWS.items():
        assert f"/admin/outbox/previews/{name}" in page and label in page


def test_the_order_confirmation_preview_shows_its_text_and_html_with_sample_data(admin_client):
    page = admin_client.get("/admin/outbox/previews/order-confirmation")
    html = admin_client.get("/admin/outbox/previews/order-confirmation/html")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Your order SAMPLE2345 at Storefront Shoes" in text
    assert "2 x Trail Runner (size 42)" in text and "Total: €188.00" in text
    assert 'src="/admin/outbox/previews/order-confirmation/html"' in text
    assert html.status_code == 200
    body = html.get_data(as_text=True)
    assert "SAMPLE2345" in body and "€188.00" in body and "Storefront Shoes" in body
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_a_preview_that_does_not_exist_is_not_found(admin_client):
    assert admin_client.get("/admin/outbox/previews/nothing").status_code == 404
    assert admin_client.get("/admin/outbox/previews/nothing/html").status_code == 404
