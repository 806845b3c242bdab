"""With Redis unreachable the shop keeps serving, says so on /healthz, and recovers by itself."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
import redis

from storefront.web import shared_cache
from tests.functional.performance.conftest import from_store

CLOSED_PORT = "redis://127.0.0.1:1/0"
RECOVERY_PREFIX = "test-recovery:"
TOLERANT_REDIS = "storefront.web.shared_cache.TolerantRedisCache"


def _redis_settings(url: str) -> dict:
    """Return the settings Config derives from REDIS_URL."""
    return {
        "REDIS_URL": url,
        "CACHE_TYPE": TOLERANT_REDIS,
        "CACHE_REDIS_URL": url,
        "CACHE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        "RATELIMIT_STORAGE_URI": url,
    }


@pytest.fixture
def without_redis(app_with, shoe):
    """Return an app whose Redis URL points at a port nothing listens on."""
    return app_with(**_redis_settings(CLOSED_PORT))


def _redis_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == shared_cache.__name__ and record.levelno == logging.WARNING
    ]


def test_every_kind_of_page_answers_while_redis_is_down(without_redis, shoe, make):
    make.user(email="ada@example.com")
    client = without_redis.test_client()

    assert client.get("/").status_code == 200
    assert "Trail Runner" in client.get("/products").get_data(as_text=True)
    assert client.get(f"/p/{shoe.slug}").status_code == 200
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    login = client.post("/login", data={"email": "ada@example.com", "password": "wrong"})
    assert login.status_code < 500 and "Log in" in login.get_data(as_text=True)
    assert client.post("/cart/add", data={"variant_id": shoe.variants[0].id}).status_code == 302


def test_health_says_degraded_and_names_redis_while_it_is_down(without_redis):
    response = without_redis.test_client().get("/healthz")

    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "degraded"
    assert report["database"] == "ok" and report["redis"] == "unreachable"


def test_a_redis_outage_is_logged_once_per_interval_not_per_request(
    without_redis, shoe, caplog, monkeypatch
):
    monkeypatch.setattr(shared_cache, "RETRY_SECONDS", 1.0)
    caplog.set_level(logging.WARNING, logger=shared_cache.__name__)
    client = without_redis.test_client()
    for _ in range(10):
        assert client.get(f"/p/{shoe.slug}").status_code == 200

    assert len(_redis_warnings(caplog)) == 1

    time.sleep(1.1)  # the interval is over: Redis is tried again, and still down
    for _ in range(10):
        assert client.get(f"/p/{shoe.slug}").status_code == 200
    assert len(_redis_warnings(caplog)) == 2


class RedisLink:
    """A TCP relay to a real Redis that can be cut and restored, as a network fault would be."""

    def __init__(self, target_url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(target_url)
        self.target = (parts.hostname, parts.port or 6379)
        self.database = parts.path.lstrip("/") or "0"
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._links: list[socket.socket] = []

    @property
    def url(self) -> str:
        """Return the Redis URL that goes through the relay."""
        return f"redis://127.0.0.1:{self.port}/{self.database}"

    def up(self) -> None:
        """Start relaying: Redis is reachable again."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Stop relaying and cut every open connection, as a network fault would."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for link in self._links:
            try:
                link.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            link.close()
        self._links.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                near, _ = listener.accept()
            except OSError:
                return
            far = socket.create_connection(self.target)
            self._links += [near, far]
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def redis_link(redis_url):
    """Return a live relay to the test Redis, cut again and its keys deleted afterwards."""
    link = RedisLink(redis_url)
    link.up()
    yield link
    link.down()
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{RECOVERY_PREFIX}*"):
        client.delete(key)


def test_the_shop_recovers_by_itself_when_redis_is_back(app_with, shoe, redis_link, monkeypatch):
    monkeypatch.setattr(shared_cache, "RETRY_SECONDS", 0.2)
    shop = app_with(**_redis_settings(redis_link.url), CACHE_KEY_PREFIX=RECOVERY_PREFIX)
    client = shop.test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"

    redis_link.down()
    assert client.get("/healthz").get_json()["redis"] == "unreachable"
    assert client.get(f"/p/{shoe.slug}").status_code == 200

    redis_link.up()
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
    time.sleep(0.3)  # the cache's pause after the failure is over
    client.get("/products")
    assert from_store(client.get("/products"))
