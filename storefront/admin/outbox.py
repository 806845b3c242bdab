"""The outbox in the back office: queued and failed messages with their errors, and retry."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from storefront.admin.blueprint import bp
from storefront.admin.listing import paginate, text_argument
from storefront.errors import ShopError
from storefront.forms_feedback import show_error
from storefront.outbox.models import STATUS_FAILED, STATUS_LABELS, STATUS_PENDING, OutboxMessage
from storefront.outbox.services import count_messages_by_status, retry_message
from storefront.params import parse_page

# What the page shows without a filter: what still needs someone's attention.
_WAITING = (STATUS_FAILED, STATUS_PENDING)
_FILTERS = ("status", "to", "page")


def _filters() -> dict[str, str]:
    """Return the list's filters from the query string, to come back to the same list."""
    return {name: request.args[name][:254] for name in _FILTERS if name in request.args}


@bp.get("/outbox")
def outbox():
    """List outbox messages, failed and queued ones first, filterable by status and recipient."""
    status = request.args.get("status", "")
    statement = select(OutboxMessage)
    if status in STATUS_LABELS:
        statement = statement.where(OutboxMessage.status == status)
    elif status != "all":
        statement = statement.where(OutboxMessage.status.in_(_WAITING))
    recipient = text_argument(request.args, "to", 254).lower()
    if recipient:
        statement = statement.where(OutboxMessage.recipient.like(f"%{recipient}%"))
    page = paginate(
        statement.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
        parse_page(request.args.get("page")),
    )
    return render_template(
        "admin/outbox.html",
        page=page,
        counts=count_messages_by_status(),
        labels=STATUS_LABELS,
        filters=_filters(),
    )


@bp.post("/outbox/<int:message_id>/retry")
def retry_outbox_message(message_id: int):
    """Queue a failed message again, to be sent at once."""
    try:
        message = retry_message(message_id)
    except ShopError as error:
        show_error(error)
    else:
        flash(f"The message to {message.recipient} is queued again.", "success")
    return redirect(url_for("admin.outbox", **_filters()))
