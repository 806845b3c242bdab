"""Queue a message in the caller's transaction, and put a failed one back in the queue."""

from __future__ import annotations

import secrets
from email.utils import make_msgid

from sqlalchemy import func, select, update
from sqlalchemy.dialects.mysql import insert as mysql_insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storefront.database import in_write_transaction, transactional, write_transaction
from storefront.errors import Conflict, NotFound
from storefront.extensions import db
from storefront.models_base import utcnow
from storefront.outbox.models import (
    STATUS_FAILED,
    STATUS_PENDING,
    STATUS_SENDING,
    STATUS_SENT,
    OutboxMessage,
)


def queue_message(
    kind: str,
    recipient: str,
    subject: str,
    body_text: str,
    *,
    body_html: str | None = None,
    key: str | None = None,
    sender_domain: str = "storefront.local",
) -> None:
    """Write a message to the outbox in the open write transaction, or in one of its own.

    A message whose `key` is already in the outbox is not queued again: the event that
    causes it may run twice (a retried checkout), its mail goes out once.
    """
    now = utcnow()
    row = {
        "kind": kind[:50],
        "recipient": recipient[:254],
        "subject": subject[:300],
        "body_text": body_text,
        "body_html": body_html,
        "idempotency_key": (key or f"{kind}:{secrets.token_hex(16)}")[:200],
        "message_id": make_msgid(domain=sender_domain),
        "status": STATUS_PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    if in_write_transaction():
        _insert_once(row)
    else:
        with write_transaction():
            _insert_once(row)


def _insert_once(row: dict) -> None:
    # A duplicate key is skipped by the database itself, so the caller's transaction goes on
    # (on PostgreSQL an ordinary unique violation would abort all of it).
    table = OutboxMessage.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql_insert(table).on_conflict_do_nothing(
            index_elements=["idempotency_key"]
        )
    elif dialect == "sqlite":
        statement = sqlite_insert(table).on_conflict_do_nothing(index_elements=["idempotency_key"])
    else:
        statement = mysql_insert(table).on_duplicate_key_update(id=table.c.id)
    db.session.execute(statement, [row])


@transactional
def retry_message(message_id: int) -> OutboxMessage:
    """Queue a failed (or still waiting) message to be sent at once, with fresh attempts."""
    # An id beyond the column's range names no message (and would be a database error).
    message = db.session.get(OutboxMessage, message_id) if message_id < 2**31 else None
    if message is None:
        raise NotFound("That message is not in the outbox.")
    if message.status not in (STATUS_FAILED, STATUS_PENDING):
        raise Conflict("That message is being sent or was sent already.")
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == message.status)
        .values(status=STATUS_PENDING, attempts=0, next_attempt_at=utcnow(), claim_token=None)
    )
    return message


def count_messages_by_status() -> dict[str, int]:
    """Return how many messages are queued, sending, sent and failed."""
    counts = dict.fromkeys((STATUS_PENDING, STATUS_SENDING, STATUS_SENT, STATUS_FAILED), 0)
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    counts.update({status: count for status, count in rows})
    return counts
