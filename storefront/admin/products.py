"""Back-office products and their variants: list, add, edit, delete or archive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import exists, func, or_, select

from storefront.admin import operations
from storefront.admin.blueprint import bp
from storefront.admin.confirmations import (
    confirmation_page,
    one_of,
    product_deletion,
    variant_removal,
)
from storefront.admin.forms import (
    AltTextForm,
    ImageUploadForm,
    NewProductForm,
    NewVariantForm,
    ProductForm,
    VariantForm,
)
from storefront.admin.listing import choice_argument, paginate, text_argument
from storefront.catalog import services
from storefront.catalog.models import Category, Product, Variant
from storefront.errors import ShopError
from storefront.extensions import db
from storefront.forms_feedback import show_error
from storefront.inventory import levels
from storefront.money import format_amount, parse_amount
from storefront.params import parse_page, parse_record_id

SORTS = {
    "newest": (Product.created_at.desc(), Product.id.desc()),
    "name": (Product.name, Product.id),
    "price_low": (Product.price_min_cents, Product.id),
    "price_high": (Product.price_max_cents.desc(), Product.id),
}
STOCK_STATES = {
    "sold_out": ~exists().where(Variant.product_id == Product.id, levels.in_stock_sql()),
    "low": exists().where(Variant.product_id == Product.id, levels.low_on_stock_sql()),
    "in_stock": exists().where(Variant.product_id == Product.id, levels.in_stock_sql()),
}


def _category_choices() -> list[tuple[int, str]]:
    names = db.session.execute(select(Category.id, Category.name).order_by(Category.name)).all()
    return [(0, "— none —"), *[(id_, name) for id_, name in names]]


@dataclass(frozen=True)
class ProductFilters:
    """What the owner asked to see in the product list."""

    text: str = ""  # in the name or a SKU
    category_id: int | None = None
    status: str | None = None  # "active" or "archived"
    stock: str | None = None  # a key of STOCK_STATES
    sort: str = "newest"
    page: int = 1


def parse_product_filters(args: Mapping) -> ProductFilters:
    """Read the product list's query arguments; refuse ids and pages out of range."""
    return ProductFilters(
        text=text_argument(args, "q").lower(),
        category_id=parse_record_id(args.get("category"), "category"),
        status=choice_argument(args, "status", ("active", "archived")),
        stock=choice_argument(args, "stock", STOCK_STATES),
        sort=choice_argument(args, "sort", SORTS) or "newest",
        page=parse_page(args.get("page")),
    )


def product_statement(filters: ProductFilters):
    """Return the products that match `filters`, in the order asked for."""
    statement = select(Product)
    if filters.text:
        pattern = f"%{filters.text}%"
        by_sku = exists().where(
            Variant.product_id == Product.id, func.lower(Variant.sku).like(pattern)
        )
        statement = statement.where(or_(func.lower(Product.name).like(pattern), by_sku))
    if filters.category_id:
        statement = statement.where(Product.category_id == filters.category_id)
    if filters.status:
        statement = statement.where(Product.is_active.is_(filters.status == "active"))
    if filters.stock:
        statement = statement.where(STOCK_STATES[filters.stock])
    return statement.order_by(*SORTS[filters.sort])


@bp.get("/products")
def products():
    """List products with search, filters, sorting and pages."""
    filters = parse_product_filters(request.args)
    page = paginate(product_statement(filters), filters.page)
    ids = [product.id for product in page.items]
    stock = (
        dict(
            db.session.execute(
                select(Variant.product_id, func.sum(Variant.stock))
                .where(Variant.product_id.in_(ids))
                .group_by(Variant.product_id)
            ).all()
        )
        if ids
        else {}
    )
    return render_template(
        "admin/products/list.html",
        page=page,
        stock=stock,
        categories=_category_choices()[1:],
        sorts=list(SORTS),
    )


def _details(form: ProductForm) -> services.ProductDetails:
    return services.ProductDetails(
        name=form.name.data or "",
        slug=form.slug.data or "",
        description=form.description.data or "",
        base_price_cents=parse_amount(form.base_price.data) or 0,
        category_id=form.category_id.data or None,
        is_active=bool(form.is_active.data),
    )


def _variant_details(form: VariantForm) -> services.VariantDetails:
    override = form.price_override.data if hasattr(form, "price_override") else None
    return services.VariantDetails(
        label=form.label.data or "",
        sku=form.sku.data or "",
        price_override_cents=parse_amount(override) if override else None,
        low_stock_threshold=form.low_stock_threshold.data or 0,
        initial_stock=getattr(getattr(form, "initial_stock", None), "data", 0) or 0,
    )


@bp.route("/products/new", methods=["GET", "POST"])
def new_product():
    """Add a product with its first option."""
    form = NewProductForm()
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        try:
            product = operations.create_product(
                current_user, _details(form), _variant_details(form)
            )
        except ShopError as error:
            status = show_error(error, form)
            return render_template("admin/products/new.html", form=form), status
        flash(f"“{product.name}” was added.", "success")
        return redirect(url_for("admin.edit_product", product_id=product.id))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/products/new.html", form=form), status


def edit_page(product: Product, form=None, status: int = 200, variant_form=None, upload_form=None):
    """Render the product page with its variant and image forms (and any errors)."""
    return (
        render_template(
            "admin/products/edit.html",
            product=product,
            form=form or _product_form(product),
            new_variant_form=variant_form or NewVariantForm(formdata=None),
            variant_forms={v.id: _variant_form(v) for v in product.variants},
            upload_form=upload_form or ImageUploadForm(formdata=None),
            alt_forms={image.id: AltTextForm(formdata=None, obj=image) for image in product.images},
        ),
        status,
    )


def _variant_form(variant: Variant) -> VariantForm:
    form = VariantForm(formdata=None, obj=variant, prefix=f"v{variant.id}")
    if variant.price_override_cents is not None:
        form.price_override.data = format_amount(variant.price_override_cents)
    return form


def load_product(product_id: int) -> Product:
    """Return the product or answer 404."""
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    return product


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
def edit_product(product_id: int):
    """Edit a product's details; its variants and images are edited on the same page."""
    product = load_product(product_id)
    if request.method == "GET":
        return edit_page(product, None)
    form = ProductForm()
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        try:
            services.update_product(current_user, product.id, _details(form))
        except ShopError as error:
            status = show_error(error, form)
            return edit_page(load_product(product_id), form, status)
        flash("The product was saved.", "success")
        return redirect(url_for("admin.edit_product", product_id=product.id))
    return edit_page(product, form, 400)


@bp.get("/products/<int:product_id>/delete")
def confirm_product_deletion(product_id: int):
    """Ask before deleting a product (where its Delete button leads without JavaScript)."""
    return confirmation_page(product_deletion(load_product(product_id)))


@bp.post("/products/<int:product_id>/delete")
def delete_product(product_id: int):
    """Delete a product, or archive it if it has been ordered."""
    try:
        message = operations.delete_or_archive_product(current_user, product_id)
    except ShopError as error:
        flash(error.message, "danger")
        return redirect(url_for("admin.products"))
    flash(message, "success")
    return redirect(url_for("admin.products"))


@bp.post("/products/<int:product_id>/variants")
def add_variant(product_id: int):
    """Add an option to a product."""
    product = load_product(product_id)
    variant_form = NewVariantForm()
    if variant_form.validate_on_submit():
        try:
            variant = operations.add_variant(
                current_user, product.id, _variant_details(variant_form)
            )
        except ShopError as error:
            status = show_error(error, variant_form)
            product = load_product(product_id)
            return edit_page(product, None, status, variant_form)
        flash(f"Option {variant.sku} was added.", "success")
        return redirect(url_for("admin.edit_product", product_id=product_id))
    return edit_page(product, None, 400, variant_form)


def _product_form(product: Product) -> ProductForm:
    form = ProductForm(formdata=None, obj=product)
    form.category_id.choices = _category_choices()
    form.base_price.data = format_amount(product.base_price_cents)
    form.category_id.data = product.category_id or 0
    return form


@bp.post("/products/<int:product_id>/variants/<int:variant_id>")
def update_variant(product_id: int, variant_id: int):
    """Save an option's label, SKU, price override and threshold."""
    product = load_product(product_id)
    form = VariantForm(prefix=f"v{variant_id}")
    if not form.validate_on_submit():
        for field in form:
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "danger")
        return edit_page(product, None, 400)
    try:
        services.update_variant(current_user, product_id, variant_id, _variant_details(form))
    except ShopError as error:
        status = show_error(error)
        product = load_product(product_id)
        return edit_page(product, None, status)
    flash("The option was saved.", "success")
    return redirect(url_for("admin.edit_product", product_id=product_id))


@bp.get("/products/<int:product_id>/variants/<int:variant_id>/delete")
def confirm_variant_removal(product_id: int, variant_id: int):
    """Ask before removing an option (where its Remove button leads without JavaScript)."""
    product = load_product(product_id)
    return confirmation_page(variant_removal(product, one_of(product.variants, variant_id)))


@bp.post("/products/<int:product_id>/variants/<int:variant_id>/delete")
def remove_variant(product_id: int, variant_id: int):
    """Remove an option from a product."""
    try:
        sku = operations.remove_variant(current_user, product_id, variant_id)
    except ShopError as error:
        flash(error.message, "danger")
    else:
        flash(f"Option {sku} was removed.", "success")
    return redirect(url_for("admin.edit_product", product_id=product_id))
