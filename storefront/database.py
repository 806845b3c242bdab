"""Engine set-up per database and the one way services open a write transaction."""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session

from storefront.config import ConfigError
from storefront.extensions import db

log = logging.getLogger(__name__)

# Deadlock victims are retried; a lock wait that timed out is not (the holder is stuck, and a
# retry would only make the customer wait the timeout again).
_RETRYABLE_CODES = {1213}  # MariaDB: deadlock found
_RETRYABLE_PGCODES = {"40001", "40P01"}  # serialization failure, deadlock detected
_ON_COMMIT = "storefront.on_commit"
_IDLE_SINCE = "storefront.idle_since"
_WRITING = "storefront.writing"

try:
    import fcntl
except ImportError:  # not POSIX: writers queue within each process only
    fcntl = None


class SQLiteWriterQueue:
    """Writers to one SQLite file wait their turn in a queue instead of polling for the lock.

    SQLite has one write lock per file. A writer that finds it taken polls: the driver's busy
    handler sleeps 1, 2, 5, 10 ... up to 100 ms between tries, so under load most of a write's
    time is spent asleep while the lock sits free. Here writers queue on a thread lock within
    the process and on an flock() of a file beside the database across processes, and are
    woken the moment the writer before them commits. Re-entrant within a thread.
    """

    def __init__(self, database_path: str | None) -> None:
        self._lock_path = f"{database_path}-writers" if database_path else None
        self._thread_lock = threading.RLock()
        self._depth = threading.local()
        self._file = None
        self._file_pid = None

    def _process_file(self):
        # Opened per process: after a fork the parent's open file would be shared, and an
        # flock on a shared file would not keep the processes apart.
        if self._file is None or self._file_pid != os.getpid():
            self._file = open(self._lock_path, "a+b")  # noqa: SIM115 - kept open for the process
            self._file_pid = os.getpid()
        return self._file

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the write turn for the block."""
        with self._thread_lock:
            depth = getattr(self._depth, "value", 0)
            self._depth.value = depth + 1
            lock_file = self._process_file() if (fcntl and self._lock_path and not depth) else None
            try:
                if lock_file is not None:
                    fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    if lock_file is not None:
                        fcntl.flock(lock_file, fcntl.LOCK_UN)
            finally:
                self._depth.value = depth


_WRITER_QUEUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def sqlite_writer_queue(engine: Engine) -> SQLiteWriterQueue | None:
    """Return the writer queue of a SQLite engine (None for other databases)."""
    return _WRITER_QUEUES.get(engine)


def engine_options(url: str) -> dict:
    """Return the SQLAlchemy engine options that suit the database in `url`."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is malformed; expected e.g. postgresql+psycopg://user@host/db."
        ) from None
    # The connection returned last is handed out first: the busy ones stay warm (no ping, see
    # PING_AFTER_IDLE_SECONDS) and the spare ones idle out.
    options: dict = {"pool_use_lifo": True}
    if backend == "sqlite":
        options = {"connect_args": {"check_same_thread": False}}
    elif backend in {"mysql", "mariadb"}:
        # READ COMMITTED: no gap locks between unrelated carts and orders.
        options["isolation_level"] = "READ COMMITTED"
        options["pool_recycle"] = 3600
        options["connect_args"] = {"charset": "utf8mb4", "connect_timeout": 5}
    elif backend == "postgresql":
        options["connect_args"] = {"connect_timeout": 5}
    return options


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long the shop lets the database make it wait (the DB_*_MS settings)."""

    statement_ms: int
    lock_ms: int
    idle_in_transaction_ms: int
    keepalive_idle_s: int

    @classmethod
    def from_settings(cls, settings: Mapping) -> DatabaseTimeouts:
        """Read the timeouts from the app's settings."""
        return cls(
            statement_ms=settings["DB_STATEMENT_TIMEOUT_MS"],
            lock_ms=settings["DB_LOCK_TIMEOUT_MS"],
            idle_in_transaction_ms=settings["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"],
            keepalive_idle_s=settings["DB_TCP_KEEPALIVE_IDLE_SECONDS"],
        )

    def postgresql_parameters(self) -> dict:
        """Return libpq connection parameters: server-side timeouts and TCP keepalives."""
        settings = {
            "statement_timeout": self.statement_ms,
            "lock_timeout": self.lock_ms,
            "idle_in_transaction_session_timeout": self.idle_in_transaction_ms,
            # The server's own probes: a client that vanished mid-transaction is noticed.
            "tcp_keepalives_idle": self.keepalive_idle_s,
            "tcp_keepalives_interval": _KEEPALIVE_INTERVAL_S,
            "tcp_keepalives_count": _KEEPALIVE_COUNT,
        }
        return {
            "options": " ".join(f"-c {name}={value}" for name, value in settings.items()),
            "keepalives": 1,
            "keepalives_idle": self.keepalive_idle_s,
            "keepalives_interval": _KEEPALIVE_INTERVAL_S,
            "keepalives_count": _KEEPALIVE_COUNT,
        }

    def mariadb_parameters(self) -> dict:
        """Return PyMySQL connection parameters: session timeouts and socket timeouts."""
        statement_s = self.statement_ms / 1000
        session = (
            f"SET SESSION max_statement_time={statement_s:g},"
            f" innodb_lock_wait_timeout={_whole_seconds(self.lock_ms)},"
            f" idle_transaction_timeout={_whole_seconds(self.idle_in_transaction_ms)}"
        )
        # The socket gives up a little after the server would have stopped the statement, so
        # a server that stopped answering is noticed too (PyMySQL turns on SO_KEEPALIVE).
        socket_s = statement_s + _SOCKET_GRACE_S
        return {"init_command": session, "read_timeout": socket_s, "write_timeout": socket_s}


_KEEPALIVE_INTERVAL_S = 10
_KEEPALIVE_COUNT = 3
_SOCKET_GRACE_S = 5


def _whole_seconds(milliseconds: int) -> int:
    return max(1, -(-milliseconds // 1000))


def _add_postgresql_options(cparams: dict, parameters: dict) -> None:
    """Merge `parameters` into libpq's, keeping any `options` given in DATABASE_URL."""
    for name, value in parameters.items():
        if name == "options" and cparams.get("options"):
            cparams["options"] = f"{cparams['options']} {value}"
        else:
            cparams.setdefault(name, value)


def configure_engine(engine: Engine, timeouts: DatabaseTimeouts | None = None) -> None:
    """Attach per-database behaviour: timeouts, pings of idle connections, SQLite pragmas."""
    timeouts = timeouts or DatabaseTimeouts.from_settings(current_app.config)
    if engine.dialect.name != "sqlite":

        @event.listens_for(engine, "do_connect")
        def _bound_every_wait(_dialect, _record, _cargs, cparams):
            if engine.dialect.name == "postgresql":
                _add_postgresql_options(cparams, timeouts.postgresql_parameters())
            else:
                for name, value in timeouts.mariadb_parameters().items():
                    cparams.setdefault(name, value)

        ping_connections_idle_for(engine, PING_AFTER_IDLE_SECONDS)
        return
    database = engine.url.database
    in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
    _WRITER_QUEUES[engine] = SQLiteWriterQueue(None if in_memory else os.path.abspath(database))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A writer that finds the file locked by another connection (outside the writer
        # queue: a script, the sqlite3 shell) gives up after the lock timeout.
        cursor.execute(f"PRAGMA busy_timeout={int(timeouts.lock_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A write transaction takes SQLite's write lock up front, so it waits its turn
        # instead of failing when a concurrent writer commits first.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


# A connection back from a request less than this long ago is not pinged before the next one
# (HikariCP's "aliveBypassWindowMs" is the same idea, at 500 ms). A server that went away
# while the connection was idle longer, or a proxy that dropped it, costs nobody a request.
PING_AFTER_IDLE_SECONDS = 0.5


def ping_connections_idle_for(engine: Engine, seconds: float) -> None:
    """Ping a pooled connection before use only when it sat idle longer than `seconds`.

    SQLAlchemy's pool_pre_ping pings on every checkout: one round trip more for every request,
    a third of a signed-in page's round trips on PostgreSQL. A connection that fails its ping
    is replaced by a fresh one (the pool retries on DisconnectionError).
    """

    @event.listens_for(engine, "checkin")
    def _note_idle_since(_dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is not None and time.monotonic() - idle_since <= seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(f"the connection failed its ping: {error}") from error


def describe_database_problem(engine: Engine) -> str | None:
    """Return one line naming DATABASE_URL and the host when the database does not answer."""
    from sqlalchemy import text

    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        url = engine.url
        where = f"{url.host}:{url.port or 'default port'}" if url.host else url.database
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0][:200]
        return f"DATABASE_URL: cannot reach {url.get_backend_name()} at {where} ({reason})"
    return None


def _is_retryable(error: DBAPIError) -> bool:
    orig = getattr(error, "orig", None)
    args = getattr(orig, "args", ()) or ()
    if args and args[0] in _RETRYABLE_CODES:
        return True
    return getattr(orig, "sqlstate", None) in _RETRYABLE_PGCODES


@contextmanager
def write_transaction() -> Iterator:
    """Run the block as one write transaction that commits, or rolls back on any error."""
    session = db.session
    queue = sqlite_writer_queue(session.get_bind())
    if queue is None:
        # PostgreSQL and MariaDB run READ COMMITTED: each statement reads what is committed,
        # so the request's transaction can carry on into the writes. Only what this session
        # read earlier is forgotten, so the use case reads it afresh.
        session.expire_all()
    else:
        # SQLite takes its write lock at BEGIN IMMEDIATE: end the read transaction first.
        session.rollback()
    with queue.turn() if queue else nullcontext():
        if queue is not None:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        session.info[_WRITING] = True
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(_WRITING, None)


def in_write_transaction() -> bool:
    """Return True inside a `write_transaction` block of the current session."""
    return bool(db.session.info.get(_WRITING))


def on_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the open transaction commits; forget it if it rolls back.

    It runs just after the commit, before the session expires what it loaded, so the records
    the transaction wrote are still readable without a query. An error in it is logged, not
    raised: what was committed stays committed, and the request goes on.
    """
    db.session.info.setdefault(_ON_COMMIT, []).append(callback)


def _run_on_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the transaction goes on
    for callback in session.info.pop(_ON_COMMIT, ()):
        try:
            callback()
        except Exception:
            log.exception("after-commit step %r failed", callback)


def _forget_on_commit(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended, committed or not
        session.info.pop(_ON_COMMIT, None)


def connect_on_commit() -> None:
    """Make `on_commit` work for every session (idempotent)."""
    if not event.contains(Session, "after_commit", _run_on_commit):
        event.listen(Session, "after_commit", _run_on_commit)
        event.listen(Session, "after_transaction_end", _forget_on_commit)


def transactional(func: Callable) -> Callable:
    """Run a service function in one write transaction, retrying a deadlock victim twice."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(3):
            try:
                with write_transaction():
                    return func(*args, **kwargs)
            except OperationalError as error:
                if attempt == 2 or not _is_retryable(error):
                    raise
                log.warning("retrying %s after %s", func.__name__, error.orig)
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    return wrapper
