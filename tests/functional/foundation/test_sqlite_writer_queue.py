"""Writers to one SQLite file queue for their turn (threads and processes), never poll."""

from __future__ import annotations

import subprocess
import sys
import threading

from sqlalchemy import select

from storefront.accounts.models import User
from storefront.database import SQLiteWriterQueue, sqlite_writer_queue, write_transaction
from storefront.extensions import db

HOLD_TURN = """
import sys
from storefront.database import SQLiteWriterQueue
with SQLiteWriterQueue(sys.argv[1]).turn():
    print("holding", flush=True)
    sys.stdin.readline()
"""


def _turn_taken_in_thread(queue: SQLiteWriterQueue) -> tuple[threading.Event, threading.Thread]:
    taken = threading.Event()

    def take_turn() -> None:
        with queue.turn():
            taken.set()

    thread = threading.Thread(target=take_turn, daemon=True)
    thread.start()
    return taken, thread


def test_a_writer_waits_while_another_process_holds_the_turn_and_goes_when_it_ends(tmp_path):
    database = str(tmp_path / "shop.sqlite3")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_TURN, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        taken, thread = _turn_taken_in_thread(SQLiteWriterQueue(database))
        assert not taken.wait(0.3), "the second writer went while the first held the turn"
        holder.stdin.write("done\n")
        holder.stdin.flush()
        assert taken.wait(10), "the second writer never got its turn"
        thread.join(10)
    finally:
        holder.kill()
        holder.wait()


def test_a_thread_can_take_its_own_turn_again_without_waiting_for_itself(tmp_path):
    queue = SQLiteWriterQueue(str(tmp_path / "shop.sqlite3"))
    with queue.turn(), queue.turn():
        taken, thread = _turn_taken_in_thread(queue)
        assert not taken.wait(0.2), "another thread went while this one held the turn"
    assert taken.wait(10)
    thread.join(10)


def test_a_write_transaction_waits_for_the_writer_before_it_then_commits(app):
    registered = threading.Event()

    def register() -> None:
        with app.app_context(), write_transaction() as session:
            session.add(User(email="queued@example.com", name="Q", password_hash="x"))
        registered.set()

    with app.app_context():
        queue = sqlite_writer_queue(db.engine)
        with queue.turn():
            thread = threading.Thread(target=register, daemon=True)
            thread.start()
            assert not registered.wait(0.3), "the write went ahead of the writer holding the turn"
        assert registered.wait(10), "the write never got its turn"
        thread.join(10)
        db.session.rollback()
        assert db.session.scalar(select(User.name).where(User.email == "queued@example.com"))
