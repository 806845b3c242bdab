"""Fixtures shared by the whole suite: app, db, client, login_as, query counting, SMTP.

Tests under tests/integration/ run on every configured database (SQLite always; PostgreSQL
and MariaDB when TEST_POSTGRES_URL / TEST_MARIADB_URL are set). Elsewhere they run on SQLite.
With CI=true an unreachable database fails the run instead of skipping.
"""

from __future__ import annotations

import contextvars
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import current_app, has_app_context
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db as _db

from . import factories
from .clients import ClosingClient

IN_CI = os.environ.get("CI", "").lower() == "true"
BACKEND_ENV = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MARIADB_URL"}
ALL_BACKENDS = ["sqlite", "postgresql", "mariadb"]


def pytest_generate_tests(metafunc):
    """Run integration tests on every database, the others on SQLite."""
    if "backend" not in metafunc.fixturenames:
        return
    if any("backend" in mark.args[0] for mark in metafunc.definition.iter_markers("parametrize")):
        return  # the test names its own databases
    on_all = (
        "integration" in metafunc.definition.path.parts
        or metafunc.definition.get_closest_marker("all_databases")
    )
    metafunc.parametrize("backend", ALL_BACKENDS if on_all else ["sqlite"])


def pytest_configure(config):
    config.addinivalue_line("markers", "all_databases: run this test on every database")


def _reachable(url: str) -> str | None:
    """Return None if the database answers, else a one-line reason."""
    parsed = make_url(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 0), timeout=3):
            pass
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        name = parsed.get_backend_name()
        return f"{name} at {parsed.host}:{parsed.port} unreachable: {error.__class__.__name__}"
    return None


def _drop_everything(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        names = inspect(connection).get_table_names()
        if engine.dialect.name == "postgresql":
            # Tables, trigger functions and extensions' objects all go with the schema.
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        elif engine.dialect.name in {"mysql", "mariadb"}:
            connection.execute(text("SET FOREIGN_KEY_CHECKS=0"))
            for name in names:
                connection.execute(text(f"DROP TABLE IF EXISTS `{name}`"))
            connection.execute(text("SET FOREIGN_KEY_CHECKS=1"))
    engine.dispose()


@pytest.fixture(scope="session")
def _migrated_databases(tmp_path_factory) -> dict:
    """Per backend: the URL of a test database migrated to head once per session."""
    return {"root": tmp_path_factory.mktemp("databases")}


@pytest.fixture
def database_url(backend, _migrated_databases) -> str:
    """Return the URL of a migrated, empty database of the requested backend."""
    prepared = _migrated_databases
    if backend in prepared:
        url = prepared[backend]
        if url.startswith("skip:"):
            pytest.skip(url[5:])
        return url
    if backend == "sqlite":
        url = f"sqlite:///{prepared['root'] / 'test.sqlite3'}"
    else:
        variable = BACKEND_ENV[backend]
        url = os.environ.get(variable, "")
        reason = f"{variable} is not set" if not url else _reachable(url)
        if reason:
            if IN_CI:
                pytest.fail(f"CI=true but {reason}", pytrace=False)
            prepared[backend] = "skip:" + reason
            pytest.skip(reason)
        _drop_everything(url)
    _migrate(url, prepared["root"])
    prepared[backend] = url
    return url


def _migrate(url: str, root) -> None:
    from flask_migrate import upgrade

    app = create_app(TestConfig(url, str(root)))
    with app.app_context():
        upgrade()
        _db.engine.dispose()


def _wipe(app) -> None:
    """Delete every row so the next test starts from an empty shop."""
    with app.app_context():
        _db.session.remove()
        engine = _db.engine
        tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                joined = ", ".join(f'"{name}"' for name in tables)
                connection.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
            elif engine.dialect.name in {"mysql", "mariadb"}:
                connection.execute(text("SET FOREIGN_KEY_CHECKS=0"))
                for name in tables:
                    connection.execute(text(f"DELETE FROM `{name}`"))
                connection.execute(text("SET FOREIGN_KEY_CHECKS=1"))
            else:
                for name in tables:
                    connection.execute(text(f'DELETE FROM "{name}"'))
        engine.dispose()


class IsolatedClient(ClosingClient):
    """A test client whose every request gets its own app context, `g` and database session.

    The `db` fixture keeps an app context open for the whole test; Flask would otherwise reuse
    it (and its `g`, where Flask-Login caches the current user) for every request, so a
    logout or a revoked session would not show until the test ended.
    """

    def open(self, *args, **kwargs):
        """Send the request from an empty context, as a real server would."""
        if has_app_context() and current_app._get_current_object() is self.application:
            # End the test's own transaction (SQLite keeps a snapshot while one is open), so
            # the request sees the test's data and the test then sees the request's changes.
            _db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app on a migrated, empty database, wiped again after the test."""
    application = create_app(TestConfig(database_url, str(tmp_path)))
    application.test_client_class = IsolatedClient
    yield application
    _wipe(application)


@pytest.fixture
def db(app) -> Iterator:
    """Yield the SQLAlchemy extension inside an app context."""
    with app.app_context():
        yield _db
        _db.session.remove()


@pytest.fixture
def client(app):
    """Return a test client (cookies kept between requests)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner for the app's `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def login_as(app):
    """Return a function that signs a test client in as `user` (a fresh login session)."""

    def sign_in(client, user):
        from storefront.accounts.sessions import start_login_session

        with app.app_context():
            attached = _db.session.merge(user)
            token = start_login_session(attached)
            _db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return token

    return sign_in


@pytest.fixture
def post(client):
    """Return a function that posts a form as a test client (no browser headers) would."""

    def send(url, data=None, *, on=None, **kwargs):
        return (on or client).post(url, data=data or {}, **kwargs)

    return send


class QueryCounter:
    """Counts the SQL statements sent to the database while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Return a context manager that counts the queries sent inside it."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = _db.engine

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            if (
                not statement.lstrip()
                .upper()
                .startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA"))
            ):
                counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before_cursor_execute)

    return counting


@pytest.fixture
def smtp_server(smtp_inbox, app):
    """Run a real local SMTP server and an outbox worker thread that sends the app's mail there."""
    from storefront.outbox.worker import WorkerThread

    app.config["OUTBOX_POLL_MILLISECONDS"] = 20
    worker = WorkerThread(app).start()
    yield smtp_inbox
    smtp_inbox.open.set()
    worker.stop()


@pytest.fixture
def smtp_inbox(app):
    """Run a real local SMTP server (aiosmtpd) and point the app's mail at it; no worker."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages: list = []
            self.arrived = threading.Event()
            self.receiving = threading.Event()  # a message is at the server
            self.open = threading.Event()  # cleared: the server holds each message until set
            self.open.set()

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            import asyncio
            import email
            from email import policy

            self.receiving.set()
            await asyncio.get_running_loop().run_in_executor(None, self.open.wait, 10)

            message = email.message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(message)
            self.arrived.set()
            return "250 Message accepted for delivery"

        def wait(self, count: int = 1, timeout: float = 5.0) -> list:
            import time

            deadline = time.monotonic() + timeout
            while len(self.messages) < count and time.monotonic() < deadline:
                time.sleep(0.02)
            return self.messages

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield inbox
    inbox.open.set()
    controller.stop()


@pytest.fixture
def make():
    """Expose tests/factories.py as the `make` fixture (make.user(), make.product(), ...)."""
    return factories
