"""Time the outbox worker: queue N mails, then send them to a local SMTP server (aiosmtpd).

`python bench/outbox.py --messages 1000 --workers 1` against DATABASE_URL (a fresh SQLite file
in a temporary folder when unset; the outbox table is emptied first). Prints how long queueing
and sending took and the messages per second. Several workers run as threads of this process,
each claiming its own batches as separate `flask worker` processes would.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from storefront import create_app  # noqa: E402
from storefront.database import write_transaction  # noqa: E402
from storefront.extensions import db  # noqa: E402
from storefront.mail import send_mail  # noqa: E402
from storefront.outbox.models import OutboxMessage  # noqa: E402
from storefront.outbox.worker import send_due_messages  # noqa: E402


class Counter:
    """An SMTP handler that counts the messages it accepts."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        """Accept the message and count it."""
        with self.lock:
            self.count += 1
        return "250 OK"


def main() -> None:
    """Queue, send, report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="outbox-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("SECRET_KEY", "outbox-bench")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Counter()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()

    app = create_app()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, OUTBOX_BATCH_SIZE=args.batch)
    with app.app_context():
        upgrade()
        with write_transaction():
            db.session.execute(delete(OutboxMessage))
        started = time.perf_counter()
        with write_transaction():
            for number in range(args.messages):
                send_mail(f"buyer{number}@example.com", f"Order {number}", "Thank you. " * 40)
        queued = time.perf_counter() - started

    def drain() -> None:
        with app.app_context():
            while send_due_messages(app.config):
                pass

    started = time.perf_counter()
    threads = [threading.Thread(target=drain) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = time.perf_counter() - started
    controller.stop()

    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    print(
        f"{backend}: queued {args.messages} in {queued:.2f} s; {args.workers} worker(s) sent "
        f"{inbox.count} in {sent:.2f} s = {inbox.count / sent:.0f} messages/s"
    )


if __name__ == "__main__":
    main()
