"""A pooled connection is pinged before use only after sitting idle; a dropped one is replaced."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from storefront.database import PING_AFTER_IDLE_SECONDS

SERVER_DATABASES = ["postgresql", "mariadb"]  # SQLite has no server to drop a connection
OWN_ID = {"postgresql": "SELECT pg_backend_pid()", "mariadb": "SELECT CONNECTION_ID()"}
DROP = {"postgresql": "SELECT pg_terminate_backend({})", "mariadb": "KILL {}"}


@pytest.fixture
def pings(db, monkeypatch):
    """Count the pings the pool sends (each still really sent)."""
    sent = []
    dialect = db.engine.dialect
    real_ping = dialect.do_ping

    def counted_ping(dbapi_connection):
        sent.append(dbapi_connection)
        return real_ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted_ping)
    return sent


def _connection_id(db, backend) -> int:
    return db.session.execute(text(OWN_ID[backend])).scalar()


def _end_request(db) -> None:
    db.session.remove()  # as Flask-SQLAlchemy does after each request: back to the pool


@pytest.mark.parametrize("backend", SERVER_DATABASES)
def test_a_connection_back_from_a_request_moments_ago_is_used_without_a_ping(db, backend, pings):
    first = _connection_id(db, backend)
    _end_request(db)
    pings.clear()

    second = _connection_id(db, backend)

    assert second == first
    assert pings == []


@pytest.mark.parametrize("backend", SERVER_DATABASES)
def test_a_connection_idle_longer_than_the_window_is_pinged_first(db, backend, pings):
    _connection_id(db, backend)
    _end_request(db)
    pings.clear()
    time.sleep(PING_AFTER_IDLE_SECONDS + 0.1)

    _connection_id(db, backend)

    assert len(pings) == 1


@pytest.mark.parametrize("backend", SERVER_DATABASES)
def test_a_connection_the_server_dropped_while_idle_is_replaced_before_a_query_uses_it(
    db, backend, database_url
):
    victim = _connection_id(db, backend)
    _end_request(db)
    admin = create_engine(database_url)
    with admin.connect() as other:
        other.execute(text(DROP[backend].format(int(victim))))
    admin.dispose()
    time.sleep(PING_AFTER_IDLE_SECONDS + 0.1)

    replacement = _connection_id(db, backend)

    assert replacement != victim
