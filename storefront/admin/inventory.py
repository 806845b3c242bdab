"""Back-office inventory: stock per variant, receive, stocktake, write-off, ledger, exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from storefront.admin.blueprint import bp
from storefront.admin.forms import StockChangeForm
from storefront.admin.listing import choice_argument, paginate, text_argument
from storefront.catalog.models import Product, Variant
from storefront.errors import ShopError
from storefront.extensions import db
from storefront.forms_feedback import show_error
from storefront.inventory import levels
from storefront.inventory import services as stock_services
from storefront.inventory.csv_io import movements_csv, stock_levels_csv
from storefront.inventory.models import REASONS, StockMovement
from storefront.models_base import utcnow
from storefront.params import day_end, day_start, parse_date, parse_page, parse_record_id

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


@dataclass(frozen=True)
class StockFilters:
    """What the owner asked to see in the stock list."""

    text: str = ""  # in the product name or the SKU
    state: str | None = None  # a key of STOCK_FILTERS
    page: int = 1


def parse_stock_filters(args: Mapping) -> StockFilters:
    """Read the stock list's query arguments; refuse a page out of range."""
    return StockFilters(
        text=text_argument(args, "q").lower(),
        state=choice_argument(args, "state", STOCK_FILTERS),
        page=parse_page(args.get("page")),
    )


def stock_statement(filters: StockFilters):
    """Return the variants that match `filters`, by product name then position."""
    statement = select(Variant).join(Variant.product).options(joinedload(Variant.product))
    if filters.text:
        pattern = f"%{filters.text}%"
        statement = statement.where(
            or_(func.lower(Product.name).like(pattern), func.lower(Variant.sku).like(pattern))
        )
    if filters.state:
        statement = statement.where(STOCK_FILTERS[filters.state])
    return statement.order_by(Product.name, Product.id, Variant.position, Variant.id)


@bp.get("/inventory")
def stock():
    """List every variant's stock, searchable by product name or SKU."""
    filters = parse_stock_filters(request.args)
    page = paginate(stock_statement(filters), filters.page, 50)
    return render_template("admin/inventory/stock.html", page=page)


@dataclass(frozen=True)
class MovementFilters:
    """What the owner asked to see in the stock ledger."""

    variant_id: int | None = None
    sku: str = ""
    reason: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    page: int = 1


def parse_movement_filters(args: Mapping) -> MovementFilters:
    """Read the ledger's query arguments; refuse ids, dates and pages out of range."""
    return MovementFilters(
        variant_id=parse_record_id(args.get("variant"), "variant"),
        sku=text_argument(args, "sku", 64).lower(),
        reason=choice_argument(args, "reason", REASONS),
        since=parse_date(args.get("from"), "from"),
        until=parse_date(args.get("to"), "to"),
        page=parse_page(args.get("page")),
    )


def movement_statement(filters: MovementFilters):
    """Return the ledger rows that match `filters`, newest first."""
    statement = select(StockMovement)
    if filters.variant_id:
        statement = statement.where(StockMovement.variant_id == filters.variant_id)
    if filters.sku:
        statement = statement.where(func.lower(StockMovement.sku).like(f"%{filters.sku}%"))
    if filters.reason:
        statement = statement.where(StockMovement.reason == filters.reason)
    if filters.since:
        statement = statement.where(StockMovement.created_at >= day_start(filters.since))
    if filters.until:
        statement = statement.where(StockMovement.created_at < day_end(filters.until))
    return statement.order_by(StockMovement.created_at.desc(), StockMovement.id.desc())


def _movements_page(filters: MovementFilters):
    statement = movement_statement(filters).options(
        joinedload(StockMovement.actor), joinedload(StockMovement.order)
    )
    return paginate(statement, filters.page, 50)


@bp.get("/inventory/movements")
def movements():
    """Show the whole shop's stock ledger, filterable."""
    page = _movements_page(parse_movement_filters(request.args))
    options = [(reason, reason.replace("_", " ")) for reason in REASONS]
    return render_template("admin/inventory/movements.html", page=page, reason_options=options)


def _variant_page(variant: Variant, form: StockChangeForm | None = None, status: int = 200):
    filters = replace(parse_movement_filters(request.args), variant_id=variant.id)
    page = _movements_page(filters)
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
    filters = parse_movement_filters(request.args)
    return _csv(movements_csv(movement_statement(filters)), "movements")
