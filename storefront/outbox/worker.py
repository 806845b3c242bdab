"""The worker: claim due messages, send them, mark each sent or schedule its next try.

Several workers, in one process or on several machines, may drain one outbox. A batch is
claimed in a short write transaction: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL and
MariaDB lets concurrent workers pass over each other's rows instead of waiting; SQLite has one
writer at a time (the writer queue, `BEGIN IMMEDIATE`), so its claim is exclusive anyway. The
claim sets the rows to "sending" with a random claim token and a deadline; a worker that dies
holding them loses them at the deadline, and a late worker's marks, made only where its token
still stands, change nothing. Mail goes out outside any transaction, each wait bounded by
MAIL_TIMEOUT.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from storefront.database import write_transaction
from storefront.extensions import db
from storefront.models_base import utcnow
from storefront.outbox.delivery import Envelope, SmtpConnection, SmtpServer, build_message
from storefront.outbox.models import (
    STATUS_FAILED,
    STATUS_PENDING,
    STATUS_SENDING,
    STATUS_SENT,
    OutboxMessage,
)

log = logging.getLogger(__name__)

_DUE = (STATUS_PENDING, STATUS_SENDING)


def claim_due_messages(limit: int, claim_seconds: int) -> tuple[str, list[Envelope]]:
    """Claim up to `limit` due messages for this worker; return the claim token and them."""
    token = secrets.token_hex(16)
    with write_transaction():
        now = utcnow()
        ids = db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status.in_(_DUE), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not ids:
            return token, []
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.status.in_(_DUE),
                OutboxMessage.next_attempt_at <= now,
            )
            .values(
                status=STATUS_SENDING,
                claim_token=token,
                next_attempt_at=now + timedelta(seconds=claim_seconds),
            )
        )
        rows = db.session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.body_text,
                OutboxMessage.body_html,
                OutboxMessage.message_id,
            )
            .where(OutboxMessage.claim_token == token)
            .order_by(OutboxMessage.id)
        ).all()
    return token, [Envelope(*row) for row in rows]


def mark_sent(message_id: int, token: str) -> bool:
    """Record that the message went out; False if this worker's claim had already lapsed."""
    with write_transaction():
        result = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
            .values(
                status=STATUS_SENT,
                sent_at=utcnow(),
                attempts=OutboxMessage.attempts + 1,
                claim_token=None,
                last_error=None,
            )
        )
    return result.rowcount == 1


def mark_attempt_failed(message_id: int, token: str, error: str, settings) -> str | None:
    """Count a failed try: schedule the next one with backoff, or give up; return the status."""
    with write_transaction():
        attempts = db.session.scalar(
            select(OutboxMessage.attempts).where(
                OutboxMessage.id == message_id, OutboxMessage.claim_token == token
            )
        )
        if attempts is None:
            return None  # the claim lapsed; another worker has the message now
        attempts += 1
        if attempts >= settings["OUTBOX_MAX_ATTEMPTS"]:
            status, due = STATUS_FAILED, utcnow()
        else:
            delay = settings["OUTBOX_BACKOFF_SECONDS"] * 2 ** (attempts - 1)
            status, due = STATUS_PENDING, utcnow() + timedelta(seconds=delay)
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
            .values(
                status=status,
                attempts=attempts,
                next_attempt_at=due,
                claim_token=None,
                last_error=error[:500],
            )
        )
    return status


def send_due_messages(settings) -> int:
    """Claim one batch of due messages and send it; return how many were claimed."""
    if mail_problem(settings):
        return 0  # never the bodies to the log in production: they hold reset links
    token, envelopes = claim_due_messages(
        settings["OUTBOX_BATCH_SIZE"], settings["OUTBOX_CLAIM_TIMEOUT_SECONDS"]
    )
    if not envelopes:
        return 0
    if not settings["MAIL_SERVER"]:
        for envelope in envelopes:
            # Development: the plain text as written, so a link in it can be copied.
            log.info(
                "Mail not sent (no MAIL_SERVER configured)\nTo: %s\nSubject: %s\n\n%s",
                envelope.recipient,
                envelope.subject,
                envelope.body_text,
            )
            mark_sent(envelope.id, token)
        return len(envelopes)
    sender = f"{settings['STOREFRONT_NAME']} <{settings['MAIL_DEFAULT_SENDER']}>"
    connection = SmtpConnection(SmtpServer.from_settings(settings))
    try:
        for envelope in envelopes:
            try:
                connection.send(build_message(envelope, sender))
            except (OSError, smtplib.SMTPException) as error:
                reason = f"{error.__class__.__name__}: {error}"
                status = mark_attempt_failed(envelope.id, token, reason, settings)
                log.warning(
                    "Mail %s to %s not sent (%s); now %s",
                    envelope.id,
                    envelope.recipient,
                    reason,
                    status,
                )
                continue
            mark_sent(envelope.id, token)
    finally:
        connection.close()
    return len(envelopes)


def mail_problem(settings) -> str | None:
    """Return why this configuration cannot send mail, or None."""
    if not settings["MAIL_SERVER"] and settings.get("ENV_NAME") == "production":
        return "MAIL_SERVER is not set: the outbox keeps its messages until it is."
    return None


def run_worker(app: Flask, stop: threading.Event) -> None:
    """Send due messages until `stop` is set, waiting OUTBOX_POLL_MILLISECONDS when idle."""
    settings = app.config
    pause = settings["OUTBOX_POLL_MILLISECONDS"] / 1000
    while not stop.is_set():
        try:
            with app.app_context():
                claimed = send_due_messages(settings)
        except Exception:
            # The database may be away for a moment: what was claimed is reclaimed later.
            log.exception("The outbox worker could not send; it tries again shortly")
            claimed = 0
        if claimed < settings["OUTBOX_BATCH_SIZE"]:
            stop.wait(pause)


class WorkerThread:
    """A worker running in a daemon thread of this process, stopped by `stop()`."""

    def __init__(self, app: Flask) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=run_worker, args=(app, self._stop), name="storefront-outbox", daemon=True
        )

    def start(self) -> WorkerThread:
        """Start the thread; return self."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        """Ask the worker to stop after its batch and wait for it."""
        self._stop.set()
        self._thread.join(timeout)
