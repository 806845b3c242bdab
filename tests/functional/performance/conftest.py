"""Helpers for the stored-page tests: a guest's visit, and Redis when the run has one."""

from __future__ import annotations

import os

import pytest


def guest_visit(app, url: str, **headers):
    """Return the response a first-time guest (a fresh browser, no cookies) gets for `url`."""
    return app.test_client().get(url, headers=headers)


def from_store(response) -> bool:
    """Return True if the page was answered from the page store (X-Page-Cache, test config)."""
    return response.headers.get("X-Page-Cache") == "hit"


@pytest.fixture
def redis_url() -> str:
    """Return TEST_REDIS_URL, or skip with one line when the run has no Redis."""
    import redis

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (CI sets redis://127.0.0.1:6379/15)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"TEST_REDIS_URL={url} unreachable: {error.__class__.__name__}", pytrace=False)
    return url
