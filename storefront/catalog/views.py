"""Public catalogue pages (foundation version: replaced by the catalogue issue)."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.catalog.models import Product
from storefront.extensions import db

bp = Blueprint("catalog", __name__, template_folder="templates")


@bp.get("/")
def home():
    """Show the newest products."""
    products = db.session.scalars(
        select(Product)
        .where(Product.is_active.is_(True))
        .options(selectinload(Product.images), selectinload(Product.variants))
        .order_by(Product.created_at.desc(), Product.id.desc())
        .limit(24)
    ).all()
    return render_template("catalog/home.html", products=products)


@bp.get("/products")
def products():
    """List all products."""
    return home()


@bp.get("/c/<slug>")
def category(slug: str):
    """List one category's products."""
    abort(404)


@bp.get("/search")
def search():
    """Search the catalogue."""
    return home()


@bp.get("/p/<slug>")
def product(slug: str):
    """Show one product."""
    abort(404)
