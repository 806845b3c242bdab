"""Fixtures for the web layer's tests: a second app on the same database, with other settings."""

from __future__ import annotations

import pytest

from storefront import create_app
from storefront.config import TestConfig
from tests.functional.performance.conftest import redis_url  # noqa: F401


@pytest.fixture
def app_with(app, database_url, tmp_path):
    """Return a function building another app on the test's database with settings changed.

    For settings read once when the app is assembled (proxies, trusted origins, Redis).
    The `app` fixture still wipes the database afterwards.
    """

    def build(**settings):
        config = TestConfig(database_url, str(tmp_path / "other"))
        for name, value in settings.items():
            setattr(config, name, value)
        other = create_app(config)
        other.test_client_class = app.test_client_class
        return other

    return build


@pytest.fixture
def shoe(db, make):
    """Return an active product with one size in stock."""
    return make.product(name="Trail Runner", price_cents=8900, sizes={"42": 5})
