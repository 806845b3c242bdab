"""Record admin actions for the audit trail (in the caller's transaction)."""

from __future__ import annotations

from storefront.admin.models import AuditEntry
from storefront.extensions import db


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
