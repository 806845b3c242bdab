"""Make two requests race for real: hold rows locked until both are waiting, then let go.

On PostgreSQL and MariaDB the test's own connection locks the rows; each racer runs in its
own thread, app context and connection, and reads what it needs before it waits on the lock.
Once both are waiting, the lock goes and both carry on at once. SQLite serialises writers
(BEGIN IMMEDIATE), so there the racers simply run side by side.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy import create_engine, text

_WAITING = {
    "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
    "mysql": "SELECT count(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'",
}


@contextmanager
def _rows_locked(url: str, table: str, ids: list[int]):
    engine = create_engine(url)
    try:
        with engine.connect() as holder:
            transaction = holder.begin()
            holder.execute(
                text(f"SELECT id FROM {table} WHERE id IN ({', '.join(map(str, ids))}) FOR UPDATE")
            )
            yield engine
            transaction.rollback()
    finally:
        engine.dispose()


def _wait_for_waiters(engine, count: int, timeout: float = 15.0) -> int:
    deadline = time.monotonic() + timeout
    waiting = 0
    with engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(text(_WAITING[engine.dialect.name])).scalar_one()
            if waiting >= count:
                return waiting
            time.sleep(0.05)
    return waiting


def race(app, url: str, table: str, ids: list[int], *racers: Callable[[], object]) -> list:
    """Run each racer in its own thread once `ids` are locked; return results or exceptions."""
    results: list = [None] * len(racers)

    def run(index: int, racer: Callable[[], object]) -> None:
        with app.app_context():
            try:
                results[index] = racer()
            except Exception as error:  # noqa: BLE001 - the test inspects what each one met
                results[index] = error

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(racers)]
    if url.startswith("sqlite"):
        for thread in threads:
            thread.start()
    else:
        with _rows_locked(url, table, ids) as engine:
            for thread in threads:
                thread.start()
            _wait_for_waiters(engine, len(racers))
    for thread in threads:
        thread.join(30)
    return results
