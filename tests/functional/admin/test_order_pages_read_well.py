"""Back-office order and ledger pages name things as a person would, even after a deletion."""

from __future__ import annotations

from storefront.accounts.deletion import delete_account
from storefront.orders.payments import payment_label
from storefront.orders.services import cancel_order
from tests.factories import PASSWORD


def test_an_order_page_names_the_payment_method_not_its_code(admin_client, make, place_order):
    shoe = make.product(sizes={"42": 3})
    order = place_order({shoe.variants[0]: 1})

    page = admin_client.get(f"/admin/orders/{order.id}").get_data(as_text=True)

    assert f"Payment: {payment_label('bank_transfer')}" in page
    assert payment_label("bank_transfer") != "bank_transfer"
    assert "bank_transfer" not in page


def test_a_deleted_customer_shows_as_such_in_the_timeline_and_the_ledger(
    admin_client, db, make, place_order
):
    shoe = make.product(name="Ledger Shoe", sizes={"42": 3})
    customer = make.user()
    order = place_order({shoe.variants[0]: 1}, email=customer.email, user=customer)
    cancel_order(order.reference, customer.id)  # a timeline entry and a ledger row by them
    db.session.commit()
    delete_account(customer.id, PASSWORD)

    timeline = admin_client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    ledger = admin_client.get("/admin/inventory/movements").get_data(as_text=True)

    for page in (timeline, ledger):
        assert "a deleted customer" in page
        assert "None" not in page
