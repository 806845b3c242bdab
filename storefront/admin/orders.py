"""Back-office orders: list with filters, detail with lines and timeline, status changes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storefront.admin.blueprint import bp
from storefront.admin.forms import StatusForm
from storefront.admin.listing import day_after, day_start, paginate, query_text
from storefront.errors import ShopError
from storefront.extensions import db
from storefront.forms_feedback import show_error
from storefront.orders.models import STATUS_LABELS, Order, OrderEvent
from storefront.orders.workflow import allowed_next_statuses, change_order_status


def order_statement():
    """Return the order query for the list's filters (status, dates, email, reference)."""
    statement = select(Order)
    if request.args.get("status") in STATUS_LABELS:
        statement = statement.where(Order.status == request.args["status"])
    since, until = day_start("from"), day_after("to")
    if since:
        statement = statement.where(Order.created_at >= since)
    if until:
        statement = statement.where(Order.created_at < until)
    email = query_text("email", 254).lower()
    if email:
        statement = statement.where(func.lower(Order.customer_email).like(f"%{email}%"))
    reference = query_text("reference", 16).upper()
    if reference:
        statement = statement.where(func.upper(Order.reference).like(f"%{reference}%"))
    user_id = request.args.get("user", type=int)
    if user_id:
        statement = statement.where(Order.user_id == user_id)
    return statement.order_by(Order.created_at.desc(), Order.id.desc())


@bp.get("/orders")
def orders():
    """List orders, newest first, filterable."""
    return render_template(
        "admin/orders/list.html", page=paginate(order_statement()), statuses=STATUS_LABELS
    )


def _detail(order_id: int, form: StatusForm | None = None, status: int = 200):
    order = db.session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(
            selectinload(Order.lines),
            selectinload(Order.events).joinedload(OrderEvent.actor),
        )
    )
    if order is None:
        abort(404)
    return (
        render_template(
            "admin/orders/detail.html",
            order=order,
            form=form or StatusForm(formdata=None),
            next_statuses=allowed_next_statuses(order.status),
            labels=STATUS_LABELS,
        ),
        status,
    )


@bp.get("/orders/<int:order_id>")
def order(order_id: int):
    """Show an order: lines, address, totals, timeline and the allowed next steps."""
    return _detail(order_id)


@bp.post("/orders/<int:order_id>/status")
def order_status(order_id: int):
    """Move an order to another status, or say why that is not allowed."""
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail(order_id, form, 400)
    try:
        updated = change_order_status(
            current_user, order_id, form.status.data, form.note.data or ""
        )
    except ShopError as error:
        return _detail(order_id, form, show_error(error))
    flash(f"Order {updated.reference} is now {updated.status_label.lower()}.", "success")
    return redirect(url_for("admin.order", order_id=order_id))
