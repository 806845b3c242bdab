"""Order fixtures: an app with a pool large enough for 40 buyers at once, and buyers with carts."""

from __future__ import annotations

import threading

import pytest

from storefront import create_app
from storefront.cart.owners import CartOwner
from storefront.cart.services import add_to_cart
from storefront.config import TestConfig
from storefront.errors import InsufficientStock
from storefront.extensions import db as _db
from storefront.orders.placement import ShippingAddress
from tests.conftest import _wipe

ADDRESS = ShippingAddress("Ada Customer", "1 Shoe Lane", "Leeds", "LS1 1AA", "United Kingdom")


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app whose connection pool lets every buyer thread hold a connection at once."""
    config = TestConfig(database_url, str(tmp_path))
    config.SQLALCHEMY_ENGINE_OVERRIDES = {"pool_size": 10, "max_overflow": 50, "pool_timeout": 30}
    application = create_app(config)
    yield application
    _wipe(application)


@pytest.fixture
def buyer(make):
    """Return a function that creates a customer whose cart holds {variant_id: quantity}."""

    def create(lines: dict[int, int]) -> int:
        person = make.user()
        for variant_id, quantity in lines.items():
            add_to_cart(CartOwner.user(person.id), variant_id, quantity)
        return person.id

    return create


@pytest.fixture
def run_at_once(app):
    """Return a function that runs work(i) in `count` threads released by one barrier.

    Each thread has its own app context (so its own database session) and reports
    ("placed", reference), ("short", error) or ("error", exception).
    """

    def run(count: int, work) -> list[tuple[str, object]]:
        barrier = threading.Barrier(count)
        results: list[tuple[str, object]] = [("error", "did not finish")] * count

        def thread_main(index: int) -> None:
            with app.app_context():
                try:
                    barrier.wait(timeout=30)
                    order = work(index)
                    results[index] = ("placed", order.reference)
                except InsufficientStock as error:
                    results[index] = ("short", error)
                except Exception as error:  # noqa: BLE001 - the test reports any other failure
                    results[index] = ("error", error)
                finally:
                    _db.session.remove()

        threads = [threading.Thread(target=thread_main, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results

    return run
