"""One row per message the shop sends, from queued to sent or failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models_base import UTCDateTime, utcnow

STATUS_PENDING = "pending"
STATUS_SENDING = "sending"
STATUS_SENT = "sent"
STATUS_FAILED = "failed"

STATUS_LABELS = {
    STATUS_PENDING: "Queued",
    STATUS_SENDING: "Sending",
    STATUS_SENT: "Sent",
    STATUS_FAILED: "Failed",
}


class OutboxMessage(db.Model):
    """A mail to send: written in the transaction that causes it, claimed and sent by a worker.

    `idempotency_key` is unique, so one event queues its message once however often the code
    that causes it runs. `message_id` is fixed when the row is written: a message sent twice
    (a worker died between sending and marking it sent) carries the same Message-ID, which
    mail clients fold into one. A pending or sending row is due at `next_attempt_at`; for a
    sending row that is the end of its claim, after which another worker may take it.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(250))
    status: Mapped[str] = mapped_column(String(10), default=STATUS_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        """Return the status as the owner reads it."""
        return STATUS_LABELS.get(self.status, self.status)
