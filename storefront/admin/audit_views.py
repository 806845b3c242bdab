"""The audit trail: every admin action, browsable and filterable by action and actor."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import func, select

from storefront.admin.blueprint import bp
from storefront.admin.listing import paginate, text_argument
from storefront.audit import AuditEntry
from storefront.extensions import db
from storefront.params import day_end, day_start, parse_date, parse_page


@bp.get("/audit")
def audit():
    """List audit entries, newest first."""
    statement = select(AuditEntry)
    action = text_argument(request.args, "action", 60)
    if action:
        statement = statement.where(AuditEntry.action.like(f"{action}%"))
    actor = text_argument(request.args, "actor", 254).lower()
    if actor:
        statement = statement.where(func.lower(AuditEntry.actor_email).like(f"%{actor}%"))
    target = text_argument(request.args, "target", 40)
    if target:
        statement = statement.where(AuditEntry.target_type == target)
    since = day_start(parse_date(request.args.get("from"), "from"))
    until = day_end(parse_date(request.args.get("to"), "to"))
    if since:
        statement = statement.where(AuditEntry.created_at >= since)
    if until:
        statement = statement.where(AuditEntry.created_at < until)
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    statement = statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    page = paginate(statement, parse_page(request.args.get("page")), 50)
    return render_template(
        "admin/audit.html", page=page, actions=actions, selected=request.args.get("action", "")
    )
