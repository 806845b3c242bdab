"""Stored pages shared through Redis by two app servers, each with its own copies in memory."""

from __future__ import annotations

import secrets
import time

import pytest
import redis

from storefront import create_app
from storefront.catalog.services import ProductDetails, update_product
from storefront.config import TestConfig
from storefront.web.page_store import VERSION_KEY, cache_store, catalog_version
from tests import factories
from tests.clients import ClosingClient
from tests.functional.performance.conftest import from_store

TOLERANT_REDIS = "storefront.web.shared_cache.TolerantRedisCache"


@pytest.fixture
def two_servers(app, database_url, tmp_path, redis_url):
    """Two apps (as two server processes would be) on one database and one Redis."""
    prefix = f"test-{secrets.token_hex(4)}:"
    servers = []
    for number in range(2):
        config = TestConfig(database_url, str(tmp_path / f"server-{number}"))
        config.REDIS_URL = config.CACHE_REDIS_URL = redis_url
        config.CACHE_TYPE = TOLERANT_REDIS
        config.CACHE_KEY_PREFIX = prefix
        server = create_app(config)
        server.test_client_class = ClosingClient
        servers.append(server)
    yield servers
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def _eventually(check, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


def _visit(server, url: str):
    return server.test_client().get(url)


def test_a_page_stored_by_one_server_is_served_by_the_other(two_servers):
    first, second = two_servers
    with first.app_context():
        factories.product(name="Trail Runner", slug="trail-runner")

    stored = _visit(first, "/p/trail-runner")
    served = _visit(second, "/p/trail-runner")

    assert not from_store(stored) and from_store(served)
    assert served.get_data() == stored.get_data()


def test_a_price_change_made_on_one_server_retires_the_other_servers_own_copies(two_servers):
    first, second = two_servers
    with first.app_context():
        shoe = factories.product(name="Trail Runner", slug="trail-runner", price_cents=8900)
        shoe_id = shoe.id
    for _ in range(2):  # the second visit is answered from the first server's own memory
        _visit(first, "/p/trail-runner")
    before = _visit(first, "/p/trail-runner")
    assert from_store(before) and "€89.00" in before.get_data(as_text=True)

    with second.app_context():
        owner = factories.admin()
        details = ProductDetails("Trail Runner", "trail-runner", "A fine shoe.", 7900, None)
        update_product(owner, shoe_id, details)

    # The first server hears of the change on the version channel, within milliseconds.
    assert _eventually(lambda: "€79.00" in _visit(first, "/p/trail-runner").get_data(as_text=True))


def test_a_change_missed_while_disconnected_is_read_when_the_channel_is_back(
    two_servers, redis_url
):
    first, _second = two_servers
    with first.app_context():
        catalog_version(first)  # starts following the channel
    assert _eventually(lambda: first.extensions["storefront.catalog_version_watch"].current())
    redis.Redis.from_url(redis_url).client_kill_filter(_type="pubsub")
    cache_store(first).set(VERSION_KEY, "set-while-nobody-listened", timeout=0)  # no message

    assert _eventually(lambda: catalog_version(first) == "set-while-nobody-listened")
