"""Every wait on the database is bounded: a customer blocked by a held lock gets "try again"."""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from storefront import create_app
from storefront.catalog.models import Variant
from storefront.config import TestConfig
from storefront.extensions import db as _db
from storefront.orders.models import Order
from tests.conftest import IsolatedClient, _wipe
from tests.functional.orders.conftest import ADDRESS_FORM, checkout_token_in

LOCK_TIMEOUT_S = 3
IDLE_IN_TRANSACTION_TIMEOUT_S = 1


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app whose database waits are a few seconds long."""
    config = TestConfig(database_url, str(tmp_path))
    config.DB_LOCK_TIMEOUT_MS = LOCK_TIMEOUT_S * 1000
    config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = IDLE_IN_TRANSACTION_TIMEOUT_S * 1000
    config.DB_STATEMENT_TIMEOUT_MS = 10_000
    application = create_app(config)
    application.test_client_class = IsolatedClient
    yield application
    _wipe(application)


@pytest.fixture
def reviewed_checkout(db, make, client, login_as, post):
    """Return (variant id, place-order form) for a customer whose cart holds one shoe."""
    shoe = make.product(name="Swift", sizes={"42": 5}, sku_prefix="SW")
    variant_id = shoe.variants[0].id
    login_as(client, make.user())
    assert post("/cart/add", {"variant_id": str(variant_id), "quantity": "1"}).status_code == 302
    review = post("/checkout", ADDRESS_FORM)
    assert review.status_code == 200
    return variant_id, {**ADDRESS_FORM, "checkout_token": checkout_token_in(review)}


@contextmanager
def another_process_holding_the_lock_of(database_url: str, backend: str, variant_id: int):
    """Hold the variant's row lock (SQLite: the file's write lock) from a second connection."""
    if backend == "sqlite":
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    engine = create_engine(database_url)
    try:
        with engine.connect() as holder:
            holder.execute(
                text("SELECT stock FROM variants WHERE id = :id FOR UPDATE"), {"id": variant_id}
            )
            try:
                yield
            finally:
                holder.rollback()
    finally:
        engine.dispose()


def _orders(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Order.id)))


def _stock(db, variant_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(Variant.stock).where(Variant.id == variant_id))


def test_a_customer_blocked_by_a_held_stock_lock_is_told_to_try_again_within_the_lock_timeout(
    app, db, backend, database_url, reviewed_checkout, post
):
    variant_id, place_form = reviewed_checkout
    db.session.commit()

    with another_process_holding_the_lock_of(database_url, backend, variant_id):
        started = time.monotonic()
        response = post("/checkout/place", place_form)
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "try again" in response.get_data(as_text=True)
    # The lock timeout, plus what a loaded 2-core CI machine adds; without one it waits forever.
    assert LOCK_TIMEOUT_S - 0.5 <= waited < LOCK_TIMEOUT_S + 7
    assert (_orders(db), _stock(db, variant_id)) == (0, 5)

    retried = post("/checkout/place", place_form)
    assert retried.status_code == 302 and "/thanks" in retried.headers["Location"]
    assert (_orders(db), _stock(db, variant_id)) == (1, 4)


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_a_stalled_shop_connection_idle_in_a_transaction_is_ended_and_its_lock_freed(
    app, db, backend, reviewed_checkout, post
):
    variant_id, place_form = reviewed_checkout
    db.session.commit()
    stalled = _db.engine.connect()  # a shop process that stopped mid-transaction
    stalled.begin()
    stalled.execute(select(Variant.stock).where(Variant.id == variant_id).with_for_update())

    started = time.monotonic()
    response = post("/checkout/place", place_form)
    waited = time.monotonic() - started

    assert response.status_code == 302 and "/thanks" in response.headers["Location"]
    assert waited < LOCK_TIMEOUT_S
    assert (_orders(db), _stock(db, variant_id)) == (1, 4)
    with pytest.raises(DBAPIError):  # the server ended the stalled session
        stalled.execute(select(Variant.stock).where(Variant.id == variant_id))
    stalled.invalidate()
    stalled.close()
