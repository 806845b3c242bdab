"""Back-office users: search, their orders, roles and access."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from storefront.accounts import admin_services
from storefront.accounts.models import ROLES, User
from storefront.admin.blueprint import bp
from storefront.admin.listing import paginate, text_argument
from storefront.errors import ShopError
from storefront.extensions import db
from storefront.forms_feedback import show_error
from storefront.orders.models import Order
from storefront.params import parse_page


@bp.get("/users")
def users():
    """List users, searchable by email or name, filterable by role."""
    statement = select(User).where(User.deleted_at.is_(None))
    text = text_argument(request.args, "q").lower()
    if text:
        pattern = f"%{text}%"
        statement = statement.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern))
        )
    if request.args.get("role") in ROLES:
        statement = statement.where(User.role == request.args["role"])
    statement = statement.order_by(User.created_at.desc(), User.id.desc())
    page = paginate(statement, parse_page(request.args.get("page")))
    return render_template("admin/users/list.html", page=page, roles=ROLES)


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    """Show a user with their orders."""
    person = db.session.get(User, user_id)
    if person is None or person.is_deleted:
        abort(404)
    statement = select(Order).where(Order.user_id == person.id)
    page = paginate(
        statement.order_by(Order.created_at.desc()), parse_page(request.args.get("page"))
    )
    return render_template("admin/users/detail.html", person=person, page=page)


def _done(user_id: int, action, message: str):
    try:
        person = action()
    except ShopError as error:
        show_error(error)
    else:
        flash(message.format(email=person.email), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int):
    """Promote a user to admin or demote one to customer."""
    role = request.form.get("role", "")
    return _done(
        user_id,
        lambda: admin_services.set_user_role(current_user, user_id, role),
        "{email} is now " + (role if role in ROLES else "unchanged") + ".",
    )


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int):
    """Disable (ending their sessions) or enable a user."""
    active = request.form.get("active") == "1"
    return _done(
        user_id,
        lambda: admin_services.set_user_active(current_user, user_id, active),
        "{email} was " + ("enabled." if active else "disabled and signed out everywhere."),
    )
