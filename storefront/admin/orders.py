"""Back-office orders: list with filters, detail with lines and timeline, status changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storefront.admin.blueprint import bp
from storefront.admin.forms import StatusForm
from storefront.admin.listing import choice_argument, paginate, text_argument
from storefront.errors import ShopError
from storefront.extensions import db
from storefront.forms_feedback import show_error
from storefront.orders.models import STATUS_LABELS, Order, OrderEvent
from storefront.orders.payments import payment_label
from storefront.orders.workflow import allowed_next_statuses, change_order_status
from storefront.params import day_end, day_start, parse_date, parse_page, parse_record_id


@dataclass(frozen=True)
class OrderFilters:
    """What the owner asked to see in the order list."""

    status: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    email: str = ""
    reference: str = ""
    user_id: int | None = None
    page: int = 1


def parse_order_filters(args: Mapping) -> OrderFilters:
    """Read the order list's query arguments; refuse numbers and dates out of range."""
    return OrderFilters(
        status=choice_argument(args, "status", STATUS_LABELS),
        since=parse_date(args.get("from"), "from"),
        until=parse_date(args.get("to"), "to"),
        email=text_argument(args, "email", 254).lower(),
        reference=text_argument(args, "reference", 16).upper(),
        user_id=parse_record_id(args.get("user"), "user"),
        page=parse_page(args.get("page")),
    )


def order_statement(filters: OrderFilters):
    """Return the orders that match `filters`, newest first."""
    statement = select(Order)
    if filters.status:
        statement = statement.where(Order.status == filters.status)
    if filters.since:
        statement = statement.where(Order.created_at >= day_start(filters.since))
    if filters.until:
        statement = statement.where(Order.created_at < day_end(filters.until))
    if filters.email:
        statement = statement.where(func.lower(Order.customer_email).like(f"%{filters.email}%"))
    if filters.reference:
        statement = statement.where(func.upper(Order.reference).like(f"%{filters.reference}%"))
    if filters.user_id:
        statement = statement.where(Order.user_id == filters.user_id)
    return statement.order_by(Order.created_at.desc(), Order.id.desc())


@bp.get("/orders")
def orders():
    """List orders, newest first, filterable."""
    filters = parse_order_filters(request.args)
    page = paginate(order_statement(filters), filters.page)
    return render_template("admin/orders/list.html", page=page, statuses=STATUS_LABELS)


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
            payment_label=payment_label(order.payment_method),
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
