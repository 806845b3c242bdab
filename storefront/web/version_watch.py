"""Each process's copy of the catalogue version, kept current by Redis pub/sub.

Every stored page's key holds the catalogue version. Rather than read it from Redis on every
page view (a round trip per hit), every change of the version is also announced on a channel,
and each process keeps the version in memory, read again from Redis by a background thread
subscribed to the channel at each announcement. The message says only "changed": the key in
Redis stays the one truth, so announcements that cross each other still leave every process with
the last value set.

A subscriber that is not live (starting, Redis restarting, a network fault) answers None, and
the reader then asks Redis itself. After each (re)subscription the thread reads the version from
Redis again before answering, so a change made while it was away is not missed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

import redis

log = logging.getLogger(__name__)

RETRY_SECONDS = 0.5  # between attempts to (re)subscribe while Redis is unreachable
HEALTH_CHECK_SECONDS = 5  # a silent connection is pinged, so a dead one is noticed


class VersionWatch:
    """The catalogue version as last published on `channel`, for one app in one process."""

    def __init__(self, redis_url: str, channel: str, read_version: Callable[[], str | None]):
        self._url = redis_url
        self._channel = channel
        self._read_version = read_version
        self._version: str | None = None
        self._pid: int | None = None
        self._start_lock = threading.Lock()
        self._publisher: redis.Redis | None = None

    def current(self) -> str | None:
        """Return the version, or None while the subscription is not live (ask Redis then)."""
        if self._pid != os.getpid():
            self._start()
        return self._version

    def announce_change(self) -> None:
        """Tell every process that the version stored in Redis has just changed."""
        if self._pid != os.getpid():
            self._start()
        self._version = None  # this process reads Redis until its own announcement is back
        if self._publisher is None:
            self._publisher = redis.Redis.from_url(
                self._url, socket_connect_timeout=0.5, socket_timeout=0.5
            )
        try:
            self._publisher.publish(self._channel, b"changed")
        except (redis.RedisError, OSError) as error:
            # The other processes follow again once they resubscribe and re-read the key.
            log.warning("Could not announce a catalogue change (%s)", error)

    def _start(self) -> None:
        # Threads do not survive a fork: each server process starts its own.
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._pid, self._version, self._publisher = os.getpid(), None, None
            thread = threading.Thread(
                target=self._follow, args=(self._pid,), name="catalog-version", daemon=True
            )
            thread.start()

    def _follow(self, pid: int) -> None:
        while self._pid == pid:
            try:
                self._follow_once()
            except (redis.RedisError, OSError) as error:
                log.info("Catalogue version channel lost (%s); reading Redis meanwhile", error)
            self._version = None
            time.sleep(RETRY_SECONDS)

    def _follow_once(self) -> None:
        client = redis.Redis.from_url(
            self._url, health_check_interval=HEALTH_CHECK_SECONDS, socket_connect_timeout=5
        )
        pubsub = client.pubsub()
        try:
            pubsub.subscribe(self._channel)
            confirmation = pubsub.get_message(timeout=5)
            if confirmation is None or confirmation["type"] != "subscribe":
                raise redis.ConnectionError("Redis did not confirm the subscription")
            # Read after subscribing: a change announced in between is then not missed.
            self._version = self._read_version()
            while True:
                message = pubsub.get_message(timeout=HEALTH_CHECK_SECONDS)
                if message is not None and message["type"] == "message":
                    self._version = self._read_version()
        finally:
            pubsub.close()
            client.close()
