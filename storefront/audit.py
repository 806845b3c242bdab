"""The audit trail of what admins did, and `record_audit()`, which any domain may call.

A leaf module (it imports only the core), so recording an action never pulls in the back
office: the entry is added in the caller's transaction and commits or rolls back with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models_base import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One admin action: who, what, on which record, when, with a short summary."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User")


def record_audit(actor, action: str, target_type: str, target_id, summary: str = "") -> None:
    """Add an audit entry: who (`actor`, a User or None), what, on which record, and a summary."""
    db.session.add(
        AuditEntry(
            actor_id=getattr(actor, "id", None),
            actor_email=getattr(actor, "email", None) or "",
            action=action,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else "",
            summary=summary[:2000],
        )
    )
