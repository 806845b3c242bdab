"""The page cache shared through Redis by several app processes, each with its own copies."""

from __future__ import annotations

import os
import secrets
import time

import pytest
from flask import render_template_string

from storefront import create_app
from storefront.catalog.page_cache import (
    VERSION_KEY,
    bump_catalog_version,
    cache_store,
    cached_for_guests,
    catalog_version,
    version_watch,
)
from storefront.config import TestConfig
from tests.clients import ClosingClient

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def redis_url() -> str:
    """Return TEST_REDIS_URL (default db 15 on loopback), or skip (fail in CI) without Redis."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"Redis at {url} unreachable: {error.__class__.__name__}"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture
def two_servers(database_url, tmp_path, redis_url):
    """Two apps (as two server processes would be) on one database and one Redis."""
    prefix = f"test-{secrets.token_hex(4)}:"
    apps, renders = [], []
    for number in range(2):
        config = TestConfig(database_url, str(tmp_path / f"server-{number}"))
        config.CACHE_TYPE = "RedisCache"
        config.CACHE_REDIS_URL = redis_url
        config.CACHE_KEY_PREFIX = prefix
        app = create_app(config)
        app.test_client_class = ClosingClient
        count = {"renders": 0}

        @app.get("/_test/page")
        @cached_for_guests(timeout=60)
        def _page(count=count, number=number):
            count["renders"] += 1
            return render_template_string("<p>server {{ n }}</p>", n=number)

        apps.append(app)
        renders.append(count)
    yield apps, renders
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_a_page_rendered_by_one_server_is_served_by_the_other(two_servers):
    (first, second), renders = two_servers
    assert first.test_client().get("/_test/page").headers["X-Page-Cache"] == "miss"
    served = second.test_client().get("/_test/page")
    assert served.headers["X-Page-Cache"] == "hit"
    assert "server 0" in served.get_data(as_text=True)
    assert renders[1]["renders"] == 0


def test_a_change_made_on_one_server_retires_the_other_servers_own_copies(two_servers):
    (first, second), renders = two_servers
    for _ in range(2):  # the second request is served from the first server's own copy
        assert first.test_client().get("/_test/page").status_code == 200
    assert renders[0]["renders"] == 1
    with second.app_context():
        bump_catalog_version()
    # The first server hears of the change on the version channel, within milliseconds.
    assert _eventually(
        lambda: first.test_client().get("/_test/page").headers["X-Page-Cache"] == "miss"
    )
    assert renders[0]["renders"] == 2


def _eventually(check, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


def _redis_version(app) -> str:
    return cache_store(app).get(VERSION_KEY)


def test_each_server_keeps_the_version_in_memory_and_follows_every_change(two_servers):
    (first, second), _renders = two_servers
    with first.app_context():
        catalog_version(first)  # starts following the channel
        assert _eventually(lambda: version_watch(first).current() == _redis_version(first))
    for _ in range(3):
        with second.app_context():
            bump_catalog_version()
        assert _eventually(lambda: version_watch(first).current() == _redis_version(second))


def test_a_change_missed_while_disconnected_is_read_when_the_channel_is_back(
    two_servers, redis_url
):
    import redis

    (first, _second), _renders = two_servers
    catalog_version(first)
    assert _eventually(lambda: version_watch(first).current() is not None)
    client = redis.Redis.from_url(redis_url)
    client.client_kill_filter(_type="pubsub")
    cache_store(first).set(VERSION_KEY, "set-while-nobody-listened", timeout=0)  # no message
    assert _eventually(lambda: catalog_version(first) == "set-while-nobody-listened")
    assert _eventually(lambda: version_watch(first).current() == "set-while-nobody-listened")
