"""The page cache shared through Redis by several app processes, each with its own copies."""

from __future__ import annotations

import os
import secrets

import pytest
from flask import render_template_string

from storefront import create_app
from storefront.catalog.page_cache import bump_catalog_version, cached_for_guests
from storefront.config import TestConfig

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
    fresh = first.test_client().get("/_test/page")
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert renders[0]["renders"] == 2
