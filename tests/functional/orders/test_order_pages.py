"""Order history and detail belong to their owner; a pending order can be cancelled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.catalog.models import Variant
from storefront.inventory.models import StockMovement
from storefront.orders.models import Order
from tests.functional.cart.conftest import page_text


@pytest.fixture
def shoe(db, make):
    return make.product(name="Trail Runner", price_cents=4500, sizes={"42": 5})


@pytest.fixture
def ada(db, make):
    return make.user(email="ada@example.com", name="Ada")


@pytest.fixture
def bob(db, make):
    return make.user(email="bob@example.com", name="Bob")


@pytest.fixture
def adas_order(client, db, login_as, add, check_out, ada, shoe) -> str:
    login_as(client, ada)
    add(shoe.variants[0].id, "2")
    check_out()
    db.session.rollback()
    return db.session.scalar(select(Order.reference))


def _stock(db, variant_id) -> int:
    db.session.rollback()
    return db.session.scalar(select(Variant.stock).where(Variant.id == variant_id))


def test_a_new_customer_sees_no_orders_yet(client, login_as, ada):
    login_as(client, ada)
    assert "No orders yet" in page_text(client.get("/orders"))


def test_history_lists_orders_newest_first(client, db, add, check_out, adas_order, shoe):
    add(shoe.variants[0].id, "1")
    check_out()
    db.session.rollback()
    newest = db.session.scalar(select(Order.reference).where(Order.reference != adas_order))

    html = client.get("/orders").get_data(as_text=True)

    assert 0 < html.index(newest) < html.index(adas_order)


@pytest.mark.parametrize("page", ["9223372036854775807", "-1", "two"])
def test_a_history_page_out_of_range_shows_the_first_page_with_a_400_that_says_why(
    client, adas_order, page
):
    response = client.get(f"/orders?page={page}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The page number must be a whole number from 1 to" in html and adas_order in html


def test_the_owner_sees_the_order_detail(client, adas_order):
    page = client.get(f"/orders/{adas_order}")
    assert page.status_code == 200
    text = page_text(page)
    assert adas_order in text and "Pending payment" in text and "€90.00" in text


@pytest.mark.parametrize("path", ["/orders/{ref}", "/orders/{ref}/thanks"])
def test_another_customer_gets_404_on_someone_elses_order(
    app, client, login_as, adas_order, bob, path
):
    browser = app.test_client()
    login_as(browser, bob)
    assert browser.get(path.format(ref=adas_order)).status_code == 404
    assert adas_order not in browser.get("/orders").get_data(as_text=True)


def test_another_customer_cannot_cancel_someone_elses_order(
    app, db, login_as, post, adas_order, bob, shoe
):
    browser = app.test_client()
    login_as(browser, bob)

    response = post(f"/orders/{adas_order}/cancel", on=browser)

    assert response.status_code == 404
    db.session.rollback()
    assert db.session.scalar(select(Order.status)) == "pending_payment"
    assert _stock(db, shoe.variants[0].id) == 3


def test_anonymous_visitors_cannot_see_or_cancel_an_order(app, post, adas_order):
    stranger = app.test_client()
    assert stranger.get(f"/orders/{adas_order}").headers["Location"].startswith("/login?next=")
    response = post(f"/orders/{adas_order}/cancel", on=stranger)
    assert response.headers["Location"].startswith("/login")


def test_the_owner_cancels_a_pending_order_and_the_stock_returns(
    client, db, post, adas_order, shoe
):
    response = post(f"/orders/{adas_order}/cancel", follow_redirects=True)

    assert "is cancelled" in page_text(response)
    assert "Cancelled" in page_text(response)
    assert _stock(db, shoe.variants[0].id) == 5
    returned = db.session.scalars(
        select(StockMovement.delta).where(StockMovement.reason == "cancel")
    )
    assert list(returned) == [2]

    again = post(f"/orders/{adas_order}/cancel", follow_redirects=True)
    assert "can no longer be cancelled" in page_text(again)
    assert _stock(db, shoe.variants[0].id) == 5
