"""The outbox: a message is committed with its change or not at all, and sent exactly once."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from storefront.accounts.models import User
from storefront.database import write_transaction
from storefront.extensions import db as _db
from storefront.mail import send_mail
from storefront.models_base import utcnow
from storefront.outbox.models import OutboxMessage
from storefront.outbox.services import retry_message
from storefront.outbox.worker import (
    WorkerThread,
    claim_due_messages,
    mark_sent,
    send_due_messages,
)


def _messages(db) -> list[OutboxMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def test_a_rolled_back_change_queues_no_mail(db, app, smtp_inbox):
    with pytest.raises(RuntimeError), write_transaction():
        db.session.add(User(email="ada@example.com", name="Ada", password_hash="x"))
        send_mail("ada@example.com", "Welcome", "Hello Ada")
        raise RuntimeError("the use case fails after queueing its mail")

    assert _messages(db) == []
    assert send_due_messages(app.config) == 0
    assert smtp_inbox.wait(1, timeout=0.3) == []


def test_a_committed_change_sends_its_mail_with_text_and_html(db, app, smtp_inbox):
    with write_transaction():
        db.session.add(User(email="ada@example.com", name="Ada", password_hash="x"))
        send_mail("ada@example.com", "Welcome", "Hello Ada", html="<p>Hello <b>Ada</b></p>")

    assert send_due_messages(app.config) == 1
    [mail] = smtp_inbox.wait(1)
    assert mail["To"] == "ada@example.com" and mail["Subject"] == "Welcome"
    assert mail.get_body(preferencelist=("plain",)).get_content().strip() == "Hello Ada"
    assert "<b>Ada</b>" in mail.get_body(preferencelist=("html",)).get_content()
    [message] = _messages(db)
    assert message.status == "sent" and message.attempts == 1
    assert mail["Message-ID"] == message.message_id


def test_mail_sent_outside_a_transaction_commits_on_its_own(db, app):
    db.session.scalar(select(func.count()).select_from(User))  # a read is open, not a write

    send_mail("ada@example.com", "Reset", "A link")

    [message] = _messages(db)
    assert (message.recipient, message.status, message.kind) == (
        "ada@example.com",
        "pending",
        "mail",
    )


def test_the_same_key_queues_one_message_however_often_it_is_sent(db, app):
    for _ in range(3):
        with write_transaction():
            send_mail("ada@example.com", "Your order", "Thanks", key="order-confirmation:7")

    [message] = _messages(db)
    assert message.kind == "order-confirmation"
    assert message.idempotency_key == "order-confirmation:7"


def test_two_workers_draining_one_outbox_send_each_message_exactly_once(db, app, smtp_inbox):
    total = 300
    with write_transaction():
        for number in range(total):
            send_mail(f"buyer{number}@example.com", f"Message {number}", "Hello")
    app.config.update(OUTBOX_BATCH_SIZE=5, OUTBOX_POLL_MILLISECONDS=10)

    workers = [WorkerThread(app).start() for _ in range(3)]
    try:
        arrived = smtp_inbox.wait(total, timeout=60)
        time.sleep(0.3)  # a duplicate would arrive now
    finally:
        for worker in workers:
            worker.stop()

    subjects = [mail["Subject"] for mail in smtp_inbox.messages]
    assert len(arrived) == total
    assert sorted(subjects) == sorted(f"Message {number}" for number in range(total))
    assert {message.status for message in _messages(db)} == {"sent"}


def test_an_unreachable_mail_server_is_retried_with_growing_waits_then_failed(db, app):
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=_closed_port(),
        OUTBOX_MAX_ATTEMPTS=3,
        OUTBOX_BACKOFF_SECONDS=60,
    )
    send_mail("ada@example.com", "Your order", "Thanks")
    waits = []
    for _ in range(3):
        before = utcnow()
        assert send_due_messages(app.config) == 1
        assert send_due_messages(app.config) == 0  # not due again until its wait is over
        [message] = _messages(db)
        waits.append((message.next_attempt_at - before).total_seconds())
        # Time passes: the next try is due now.
        with write_transaction():
            db.session.execute(
                update(OutboxMessage).values(
                    next_attempt_at=message.next_attempt_at - timedelta(days=1)
                )
            )

    [message] = _messages(db)
    assert message.status == "failed" and message.attempts == 3
    assert "ConnectionRefusedError" in message.last_error
    assert 55 <= waits[0] <= 61 and 115 <= waits[1] <= 121  # 60 s, then twice as long
    assert send_due_messages(app.config) == 0  # failed stays failed


def test_a_failed_message_retried_by_the_owner_is_sent(db, app, smtp_inbox):
    port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=_closed_port(), OUTBOX_MAX_ATTEMPTS=1)
    send_mail("ada@example.com", "Your order", "Thanks")
    send_due_messages(app.config)
    [message] = _messages(db)
    assert message.status == "failed"

    app.config["MAIL_PORT"] = port  # the mail server is back
    retry_message(message.id)
    assert send_due_messages(app.config) == 1

    [mail] = smtp_inbox.wait(1)
    assert mail["Subject"] == "Your order"
    assert _messages(db)[0].status == "sent"


def test_a_message_claimed_by_a_worker_that_died_is_sent_by_another_after_the_timeout(
    db, app, smtp_inbox
):
    send_mail("ada@example.com", "Your order", "Thanks")
    dead_token, [claimed] = claim_due_messages(10, claim_seconds=1)  # then the worker dies

    assert send_due_messages(app.config) == 0  # still claimed
    time.sleep(1.2)
    assert send_due_messages(app.config) == 1
    [mail] = smtp_inbox.wait(1)

    assert mail["Message-ID"] == claimed.message_id
    assert mark_sent(claimed.id, dead_token) is False  # a late mark changes nothing
    assert _messages(db)[0].status == "sent"


def test_a_worker_keeps_going_when_it_finds_nothing_to_send(db, app, smtp_inbox):
    app.config["OUTBOX_POLL_MILLISECONDS"] = 10
    worker = WorkerThread(app).start()
    try:
        time.sleep(0.1)
        with app.app_context():
            send_mail("ada@example.com", "Late", "Hello")
            _db.session.remove()
        [mail] = smtp_inbox.wait(1)
    finally:
        worker.stop()
    assert mail["Subject"] == "Late"
