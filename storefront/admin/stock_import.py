"""Back-office CSV import of products, variants and stock: a dry run first, then all or nothing."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from storefront.admin.blueprint import bp
from storefront.admin.forms import ApplyImportForm, ImportForm
from storefront.errors import ShopError
from storefront.forms_feedback import show_error
from storefront.inventory.catalog_import import (
    ImportRefused,
    apply_import,
    decode_csv,
    preview_import,
)


def _page(form: ImportForm, report=None, csv_text: str = "", status: int = 200):
    apply_form = ApplyImportForm(formdata=None, csv_text=csv_text)
    return (
        render_template(
            "admin/inventory/import.html", form=form, report=report, apply_form=apply_form
        ),
        status,
    )


@bp.get("/inventory/import")
def import_stock():
    """Show the import form and the expected columns."""
    return _page(ImportForm(formdata=None))


@bp.post("/inventory/import")
def preview_stock_import():
    """Check an uploaded file without changing anything, listing every bad row."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        text = decode_csv(form.file.data.read())
        report = preview_import(text)
    except ShopError as error:
        return _page(form, status=show_error(error, form))
    return _page(form, report, text if report.ok else "", 200 if report.ok else 400)


@bp.post("/inventory/import/apply")
def apply_stock_import():
    """Apply a checked file in one transaction, or change nothing and list the bad rows."""
    apply_form = ApplyImportForm()
    if not apply_form.validate_on_submit():
        flash("Choose a file and check it first.", "danger")
        return redirect(url_for("admin.import_stock"))
    try:
        report = apply_import(current_user, apply_form.csv_text.data)
    except ImportRefused as refused:
        flash(refused.message, "danger")
        return _page(ImportForm(formdata=None), refused.report, status=400)
    except ShopError as error:
        return _page(ImportForm(formdata=None), status=show_error(error))
    flash(
        f"Imported: {report.count('create')} option(s) created, {report.count('update')} updated.",
        "success",
    )
    return redirect(url_for("admin.stock"))
