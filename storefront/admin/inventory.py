"""Back-office inventory: stock per variant, receive, stocktake, write-off, ledger, exports."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from storefront.admin.blueprint import bp
from storefront.admin.forms import StockChangeForm
from storefront.admin.listing import day_after, day_start, paginate, query_text
from storefront.catalog.models import Product, Variant
from storefront.errors import ShopError
from storefront.extensions import db
from storefront.forms_feedback import show_error
from storefront.inventory import levels
from storefront.inventory import services as stock_services
from storefront.inventory.csv_io import movements_csv, stock_levels_csv
from storefront.inventory.models import REASONS, StockMovement
from storefront.models_base import utcnow

STOCK_FILTERS = {
    "sold_out": levels.sold_out_sql(),
    "low": levels.low_on_stock_sql(),
    "ok": levels.plenty_sql(),
}
ACTIONS = {
    "receive": (stock_services.receive_stock, "Received"),
    "stocktake": (stock_services.take_stocktake, "Counted"),
    "write_off": (stock_services.write_off_stock, "Wrote off"),
}


@bp.get("/inventory")
def stock():
    """List every variant's stock, searchable by product name or SKU."""
    statement = select(Variant).join(Variant.product).options(joinedload(Variant.product))
    text = query_text("q")
    if text:
        pattern = f"%{text.lower()}%"
        statement = statement.where(
            or_(func.lower(Product.name).like(pattern), func.lower(Variant.sku).like(pattern))
        )
    if request.args.get("state") in STOCK_FILTERS:
        statement = statement.where(STOCK_FILTERS[request.args["state"]])
    page = paginate(statement.order_by(Product.name, Product.id, Variant.position, Variant.id), 50)
    return render_template("admin/inventory/stock.html", page=page)


def movement_statement(variant_id: int | None = None):
    """Return the ledger query for the list's filters (variant, SKU, reason, date range)."""
    statement = select(StockMovement)
    variant_id = variant_id or request.args.get("variant", type=int)
    if variant_id:
        statement = statement.where(StockMovement.variant_id == variant_id)
    sku = query_text("sku", 64)
    if sku:
        statement = statement.where(func.lower(StockMovement.sku).like(f"%{sku.lower()}%"))
    if request.args.get("reason") in REASONS:
        statement = statement.where(StockMovement.reason == request.args["reason"])
    since, until = day_start("from"), day_after("to")
    if since:
        statement = statement.where(StockMovement.created_at >= since)
    if until:
        statement = statement.where(StockMovement.created_at < until)
    return statement.order_by(StockMovement.created_at.desc(), StockMovement.id.desc())


def _movements_page(statement):
    return paginate(
        statement.options(joinedload(StockMovement.actor), joinedload(StockMovement.order)), 50
    )


@bp.get("/inventory/movements")
def movements():
    """Show the whole shop's stock ledger, filterable."""
    page = _movements_page(movement_statement())
    options = [(reason, reason.replace("_", " ")) for reason in REASONS]
    return render_template("admin/inventory/movements.html", page=page, reason_options=options)


def _variant_page(variant: Variant, form: StockChangeForm | None = None, status: int = 200):
    page = _movements_page(movement_statement(variant.id))
    forms = {
        action: StockChangeForm(formdata=None, action=action, prefix=action) for action in ACTIONS
    }
    if form is not None:
        forms[form.action.data] = form
    return (
        render_template("admin/inventory/variant.html", variant=variant, page=page, forms=forms),
        status,
    )


def _load_variant(variant_id: int) -> Variant:
    variant = db.session.get(Variant, variant_id)
    if variant is None:
        abort(404)
    return variant


@bp.get("/inventory/<int:variant_id>")
def variant_stock(variant_id: int):
    """Show one variant's stock, its ledger and the forms that change it."""
    return _variant_page(_load_variant(variant_id))


@bp.post("/inventory/<int:variant_id>/<action>")
def change_stock(variant_id: int, action: str):
    """Receive, count or write off stock for one variant, with a reason."""
    if action not in ACTIONS:
        abort(404)
    variant = _load_variant(variant_id)
    form = StockChangeForm(prefix=action)
    form.action.data = action
    if not form.validate_on_submit():
        return _variant_page(variant, form, 400)
    service, verb = ACTIONS[action]
    try:
        level = service(current_user, variant.id, form.quantity.data, form.note.data)
    except ShopError as error:
        status = show_error(error, form)
        return _variant_page(_load_variant(variant_id), form, status)
    flash(f"{verb} {form.quantity.data} of {variant.sku}; stock is now {level}.", "success")
    return redirect(url_for("admin.variant_stock", variant_id=variant_id))


def _csv(lines, name: str) -> Response:
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        "".join(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'},
    )


@bp.get("/inventory/export/stock.csv")
def export_stock():
    """Download every variant's stock level as CSV."""
    return _csv(stock_levels_csv(), "stock")


@bp.get("/inventory/export/movements.csv")
def export_movements():
    """Download the (filtered) stock ledger as CSV."""
    return _csv(movements_csv(movement_statement()), "movements")
