"""Fixtures for the scale-out tests: PostgreSQL, Redis and two running shop instances.

Outside CI these tests skip with one line when TEST_POSTGRES_URL or Redis is unreachable;
with CI=true they fail instead.
"""

from __future__ import annotations

import os

import pytest

from .harness import Cluster, fresh_database, migrate, new_secret, seed_shop, shop_env

IN_CI = os.environ.get("CI", "").lower() == "true"
BUYERS = 20
UNITS = 10


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def redis_url() -> str:
    """Return the Redis URL for the cluster (TEST_REDIS_URL, default db 15 on loopback)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        _unavailable(f"Redis at {url} unreachable: {error.__class__.__name__}")
    return url


@pytest.fixture(scope="module")
def cluster_database(redis_url) -> str:
    """Return the URL of a fresh `test_cluster` database on TEST_POSTGRES_URL's server."""
    server = os.environ.get("TEST_POSTGRES_URL")
    if not server:
        _unavailable("TEST_POSTGRES_URL is not set")
    try:
        return fresh_database(server)
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        _unavailable(f"PostgreSQL for the cluster unreachable: {error.__class__.__name__}")


@pytest.fixture(scope="module")
def cluster(cluster_database, redis_url):
    """Start two instances on one database and one Redis; yield (cluster, seeded records)."""
    env = shop_env(cluster_database, redis_url, new_secret())
    migrate(env)
    records = seed_shop(env, buyers=BUYERS, units=UNITS)
    instances = Cluster(env, count=2).start()
    yield instances, records
    instances.stop()


@pytest.fixture
def fresh_limits(redis_url):
    """Start the test with no rate-limit counters or cached pages in the cluster's Redis."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
