"""The audit trail: every admin action, browsable and filterable by action and actor."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import func, select

from storefront.admin.blueprint import bp
from storefront.admin.listing import day_after, day_start, paginate, query_text
from storefront.audit import AuditEntry
from storefront.extensions import db


@bp.get("/audit")
def audit():
    """List audit entries, newest first."""
    statement = select(AuditEntry)
    action = query_text("action", 60)
    if action:
        statement = statement.where(AuditEntry.action.like(f"{action}%"))
    actor = query_text("actor", 254).lower()
    if actor:
        statement = statement.where(func.lower(AuditEntry.actor_email).like(f"%{actor}%"))
    target = query_text("target", 40)
    if target:
        statement = statement.where(AuditEntry.target_type == target)
    since, until = day_start("from"), day_after("to")
    if since:
        statement = statement.where(AuditEntry.created_at >= since)
    if until:
        statement = statement.where(AuditEntry.created_at < until)
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    page = paginate(statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()), 50)
    return render_template(
        "admin/audit.html", page=page, actions=actions, selected=request.args.get("action", "")
    )
