"""`flask worker` as production runs it: killed mid-batch, it loses nothing, repeats at most one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from sqlalchemy import select

from storefront.database import write_transaction
from storefront.mail import send_mail
from storefront.outbox.models import OutboxMessage
from storefront.outbox.worker import send_due_messages


def _worker_process(database_url: str, mail_port: int) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "OUTBOX_"))},
        "FLASK_APP": "storefront:create_app",
        "STOREFRONT_ENV": "development",
        "SECRET_KEY": "worker-test-secret",
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "OUTBOX_BATCH_SIZE": "5",
        "OUTBOX_CLAIM_TIMEOUT_SECONDS": "1",
        "OUTBOX_POLL_MILLISECONDS": "50",
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_worker_killed_mid_batch_loses_no_message_and_repeats_at_most_one(
    db, app, database_url, smtp_inbox
):
    with write_transaction():
        for number in range(10):
            send_mail(f"buyer{number}@example.com", f"Order {number}", "Thanks")
    smtp_inbox.open.clear()  # the server holds the first message it is given

    worker = _worker_process(database_url, app.config["MAIL_PORT"])
    try:
        assert smtp_inbox.receiving.wait(30), worker.stderr.read1().decode()
        worker.send_signal(signal.SIGKILL)  # between handing a message over and marking it
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    smtp_inbox.open.set()

    time.sleep(1.2)  # the dead worker's claim runs out
    app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] = 60
    while send_due_messages(app.config):
        pass

    arrived = smtp_inbox.wait(11, timeout=1)
    subjects = Counter(mail["Subject"] for mail in arrived)
    assert set(subjects) == {f"Order {number}" for number in range(10)}
    assert len(arrived) <= 11  # at most the message in flight came twice
    repeated = [mail for mail in arrived if subjects[mail["Subject"]] > 1]
    assert len({mail["Message-ID"] for mail in repeated}) <= 1  # a client folds the two
    db.session.rollback()
    assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"sent"}


def test_the_worker_command_refuses_production_without_a_mail_server(runner, app):
    app.config.update(ENV_NAME="production", MAIL_SERVER=None)

    result = runner.invoke(args=["worker"])

    assert result.exit_code != 0
    assert "MAIL_SERVER is not set" in result.output


def test_the_worker_command_with_once_sends_what_is_due_and_exits(runner, app, db, smtp_inbox):
    send_mail("ada@example.com", "Hello", "Hi Ada")

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "1 message handled" in result.output
    [mail] = smtp_inbox.wait(1)
    assert mail["To"] == "ada@example.com"
