"""Back-office categories: add, rename, delete when empty."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from storefront.admin.blueprint import bp
from storefront.admin.confirmations import category_deletion, confirmation_page
from storefront.admin.forms import CategoryForm
from storefront.catalog import category_services
from storefront.catalog.models import Category, Product
from storefront.errors import ShopError
from storefront.extensions import db
from storefront.forms_feedback import show_error


def _page(form: CategoryForm, status: int = 200):
    rows = db.session.execute(
        select(Category, func.count(Product.id))
        .outerjoin(Product, Product.category_id == Category.id)
        .group_by(Category.id)
        .order_by(Category.position, Category.name)
    ).all()
    forms = {
        category.id: CategoryForm(formdata=None, obj=category, prefix=f"c{category.id}")
        for category, _ in rows
    }
    return (
        render_template("admin/categories.html", rows=rows, form=form, forms=forms),
        status,
    )


@bp.get("/categories")
def categories():
    """List categories with their product counts."""
    return _page(CategoryForm(formdata=None))


@bp.post("/categories")
def create_category():
    """Add a category."""
    form = CategoryForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        category = category_services.create_category(
            current_user, form.name.data, form.slug.data or "", form.description.data or ""
        )
    except ShopError as error:
        return _page(form, show_error(error, form))
    flash(f"Category “{category.name}” was added.", "success")
    return redirect(url_for("admin.categories"))


@bp.post("/categories/<int:category_id>")
def rename_category(category_id: int):
    """Rename a category."""
    if db.session.get(Category, category_id) is None:
        abort(404)
    form = CategoryForm(prefix=f"c{category_id}")
    if not form.validate_on_submit():
        flash("Enter a name of at most 80 characters.", "danger")
        return _page(CategoryForm(formdata=None), 400)
    try:
        category_services.rename_category(
            current_user, category_id, form.name.data, form.slug.data or "", form.description.data
        )
    except ShopError as error:
        return _page(CategoryForm(formdata=None), show_error(error))
    flash("The category was saved.", "success")
    return redirect(url_for("admin.categories"))


@bp.get("/categories/<int:category_id>/delete")
def confirm_category_deletion(category_id: int):
    """Ask before deleting a category (where its Delete button leads without JavaScript)."""
    category = db.session.get(Category, category_id)
    if category is None:
        abort(404)
    return confirmation_page(category_deletion(category))


@bp.post("/categories/<int:category_id>/delete")
def delete_category(category_id: int):
    """Delete an empty category, or say why not."""
    try:
        name = category_services.delete_category(current_user, category_id)
    except ShopError as error:
        show_error(error)
        return redirect(url_for("admin.categories"))
    flash(f"Category “{name}” was deleted.", "success")
    return redirect(url_for("admin.categories"))
