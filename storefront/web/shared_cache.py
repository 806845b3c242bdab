"""The Redis cache as an accelerator: while Redis is unreachable the shop serves without it.

Flask-Caching's RedisCache raises on every call while Redis is down, which would turn each
page that reads a cached lookup into a 500. Here a failed call answers as a miss (None, False
or nothing), logs one warning per interval, and for `RETRY_SECONDS` after a failure calls are
not even tried, so pages do not each wait for a timeout. The first call after that tries
Redis again: the shop recovers by itself when Redis is back. `/healthz` reports the outage.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

import redis
from flask_caching.backends.rediscache import RedisCache

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # after a failure, Redis is left alone this long
_MISSES = {"get": None, "get_dict": {}, "inc": None, "dec": None}  # others: False


class TolerantRedisCache(RedisCache):
    """Flask-Caching's RedisCache whose failures are misses, not errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def is_down(self) -> bool:
        """Return True while Redis is being left alone after a failure."""
        return time.monotonic() < self._down_until

    def _failed(self, error: Exception) -> None:
        with self._lock:
            if not self.is_down():
                log.warning("Redis unreachable (%s): serving without it for now", error)
            self._down_until = time.monotonic() + RETRY_SECONDS


def _tolerant(name: str):
    method = getattr(RedisCache, name)
    miss = _MISSES.get(name, False)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if self.is_down():
            return [None] * len(args) if name == "get_many" else miss
        try:
            return method(self, *args, **kwargs)
        except (redis.RedisError, OSError) as error:
            self._failed(error)
            return [None] * len(args) if name == "get_many" else miss

    return call


for _name in (
    "get",
    "get_many",
    "get_dict",
    "set",
    "add",
    "set_many",
    "delete",
    "delete_many",
    "has",
    "clear",
    "inc",
    "dec",
):
    setattr(TolerantRedisCache, _name, _tolerant(_name))
