import pytest
from sqlalchemy import func, select

from storefront.accounts.deletion import delete_account
from storefront.accounts.models import Address, User
from storefront.accounts.services import find_user_by_email, log_in
from storefront.accounts.sessions import load_user_for_token
from storefront.cart.models import Cart, CartLine
from storefront.errors import ShopError, ValidationFailed
from storefront.orders.models import (
    STATUS_CANCELLED,
    STATUS_DELIVERED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    STATUS_SHIPPED,
    Order,
    OrderLine,
)
from tests.factories import PASSWORD


def _order_for(db, user, reference="SF-1001", status=STATUS_DELIVERED) -> Order:
    order = Order(
        reference=reference,
        status=status,
        checkout_token=f"token-{reference}",
        user_id=user.id,
        customer_name="Ada Lovelace",
        customer_email=user.email,
        currency="EUR",
        subtotal_cents=5000,
        shipping_cents=499,
        total_cents=5499,
        shipping_method="standard",
        shipping_label="Standard delivery",
        payment_method="bank_transfer",
        ship_name="Ada Lovelace",
        ship_street="12 Analytical Lane",
        ship_city="London",
        ship_postal_code="N1 9GU",
        ship_country="United Kingdom",
        ship_phone="+44 20 7946 0000",
    )
    order.lines.append(
        OrderLine(
            product_name="Trail Runner",
            sku="TR-42",
            unit_price_cents=5000,
            quantity=1,
            line_total_cents=5000,
        )
    )
    db.session.add(order)
    db.session.commit()
    return order


@pytest.fixture
def customer(db, make):
    person = make.user(email="ada@example.com", name="Ada Lovelace")
    person.addresses.append(
        Address(
            full_name="Ada Lovelace",
            street="12 Analytical Lane",
            city="London",
            postal_code="N1 9GU",
            country="United Kingdom",
        )
    )
    shoe = make.product(sizes={"42": 5})
    cart = Cart(user_id=person.id)
    cart.lines.append(
        CartLine(variant_id=shoe.variants[0].id, quantity=2, unit_price_cents_seen=5000)
    )
    db.session.add(cart)
    db.session.commit()
    return person


def test_account_deletion_leaves_no_personal_data_in_the_user_row(db, customer):
    delete_account(customer.id, PASSWORD)

    db.session.expire_all()
    row = db.session.get(User, customer.id)
    assert row.name == ""
    assert row.email is None
    assert row.password_hash is None
    assert row.is_active is False
    assert row.deleted_at is not None
    assert find_user_by_email("ada@example.com") is None


def test_account_deletion_removes_addresses_and_cart(db, customer):
    delete_account(customer.id, PASSWORD)

    for model in (Address, Cart, CartLine):
        assert db.session.execute(select(func.count()).select_from(model)).scalar_one() == 0


def test_account_deletion_keeps_the_orders_detached_and_anonymised(db, customer):
    _order_for(db, customer, "SF-1001", STATUS_DELIVERED)
    _order_for(db, customer, "SF-1002", STATUS_CANCELLED)

    delete_account(customer.id, PASSWORD)

    db.session.expire_all()
    orders = db.session.execute(select(Order).order_by(Order.reference)).scalars().all()
    assert [order.reference for order in orders] == ["SF-1001", "SF-1002"]
    for order in orders:
        assert order.user_id is None
        assert order.customer_name == "Deleted customer"
        assert order.customer_email == f"deleted-{order.reference}@invalid"
        assert order.ship_name == "Deleted customer"
        assert (order.ship_street, order.ship_city, order.ship_phone) == ("", "", "")
        assert order.total_cents == 5499
        assert [line.sku for line in order.lines] == ["TR-42"]
        assert "Ada" not in " ".join(str(value) for value in vars(order).values())


def test_account_deletion_ends_every_session(db, customer):
    session = log_in("ada@example.com", PASSWORD).login_session_id

    delete_account(customer.id, PASSWORD)

    assert load_user_for_token(session) is None


def test_account_deletion_needs_the_password_and_changes_nothing_without_it(db, customer):
    with pytest.raises(ValidationFailed) as refused:
        delete_account(customer.id, "not my password")

    assert refused.value.field == "delete_password"
    db.session.expire_all()
    assert db.session.get(User, customer.id).email == "ada@example.com"


def test_the_only_admin_cannot_delete_their_account(db, make):
    owner = make.admin()

    with pytest.raises(ShopError) as refused:
        delete_account(owner.id, PASSWORD)

    assert refused.value.field == "delete_password"
    assert "only admin" in refused.value.message

    assert db.session.get(User, owner.id).deleted_at is None


def test_the_email_of_a_deleted_account_can_register_again(db, customer):
    from storefront.accounts.registration import register_user

    delete_account(customer.id, PASSWORD)
    register_user("Ada", "ada@example.com", PASSWORD, lambda token: {"confirm": "/c"})

    assert find_user_by_email("ada@example.com").id != customer.id


@pytest.mark.parametrize("status", [STATUS_PENDING_PAYMENT, STATUS_PAID, STATUS_SHIPPED])
def test_an_account_with_an_open_order_is_not_deleted_and_the_order_keeps_its_address(
    db, customer, status
):
    _order_for(db, customer, "SF-1001", STATUS_DELIVERED)
    _order_for(db, customer, "SF-1002", status)

    with pytest.raises(ShopError) as refused:
        delete_account(customer.id, PASSWORD)

    assert refused.value.field == "delete_password"
    assert "SF-1002" in refused.value.message and "SF-1001" not in refused.value.message
    assert "Cancel an order awaiting payment" in refused.value.message
    db.session.rollback()
    assert db.session.get(User, customer.id).email == "ada@example.com"
    orders = db.session.execute(select(Order).order_by(Order.reference)).scalars().all()
    assert [(order.user_id, order.ship_street) for order in orders] == [
        (customer.id, "12 Analytical Lane")
    ] * 2
    assert db.session.execute(select(func.count()).select_from(CartLine)).scalar_one() == 1
