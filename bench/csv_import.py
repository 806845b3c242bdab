"""Time the back office's CSV import of 5,000 rows: `python bench/csv_import.py --database URL`.

The database is emptied and migrated first (use a throwaway one). It is then given 500
products of 5 sizes (2,500 variants); the file updates all 2,500 (new stock, threshold and
price on every row) and creates 500 new products of 5 sizes. The dry run and the import are
each timed on a fresh request's session, and the figures printed in seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, inspect, select, text  # noqa: E402

from storefront import create_app  # noqa: E402
from storefront.accounts.models import User  # noqa: E402
from storefront.catalog.models import Category, Product, Variant  # noqa: E402
from storefront.config import Config  # noqa: E402
from storefront.extensions import db  # noqa: E402
from storefront.inventory.catalog_import import apply_import, preview_import  # noqa: E402
from storefront.inventory.models import StockMovement  # noqa: E402

EXISTING_PRODUCTS, NEW_PRODUCTS = 500, 500
SIZES = ["39", "40", "41", "42", "43"]
HEADER = "sku,product_name,product_slug,category,size,price,price_override,stock,"
HEADER += "low_stock_threshold,active\n"


def _empty(engine) -> None:
    with engine.begin() as connection:
        names = inspect(connection).get_table_names()
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        elif engine.dialect.name in {"mysql", "mariadb"}:
            connection.execute(text("SET FOREIGN_KEY_CHECKS=0"))
            for name in names:
                connection.execute(text(f"DROP TABLE IF EXISTS `{name}`"))
            connection.execute(text("SET FOREIGN_KEY_CHECKS=1"))
        elif names:
            raise SystemExit("Give an SQLite file that does not exist yet.")


def _seed() -> User:
    admin = User(email="owner@example.com", name="Owen", password_hash="x", role="admin")
    db.session.add_all([admin, Category(name="Running", slug="running")])
    db.session.flush()
    products = [
        {"name": f"Shoe {n}", "slug": f"shoe-{n}", "base_price_cents": 5000, "description": ""}
        for n in range(EXISTING_PRODUCTS)
    ]
    db.session.execute(insert(Product), products)
    ids = db.session.scalars(select(Product.id).order_by(Product.id)).all()
    db.session.execute(
        insert(Variant),
        [
            {"product_id": pid, "sku": f"S{n}-{size}", "label": size, "stock": 5, "position": p}
            for n, pid in enumerate(ids)
            for p, size in enumerate(SIZES)
        ],
    )
    db.session.commit()
    return admin


def _file() -> str:
    rows = [
        f"S{n}-{size},,,,,59.90,,{7 + p},4,yes\n"
        for n in range(EXISTING_PRODUCTS)
        for p, size in enumerate(SIZES)
    ]
    rows += [
        f"N{n}-{size},New shoe {n},new-shoe-{n},running,{size},64.50,,{p},2,yes\n"
        for n in range(NEW_PRODUCTS)
        for p, size in enumerate(SIZES)
    ]
    return HEADER + "".join(rows)


def main() -> None:
    """Seed the database, then time a dry run and the import of the 5,000-row file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a throwaway database URL")
    arguments = parser.parse_args()
    config = Config()
    config.SQLALCHEMY_DATABASE_URI = arguments.database
    config.SECRET_KEY = "bench"
    app = create_app(config)
    with app.app_context():
        _empty(db.engine)
        upgrade()
        admin_id = _seed().id
        csv_text = _file()
    with app.test_request_context():
        started = time.perf_counter()
        report = preview_import(csv_text)
        preview_s = time.perf_counter() - started
        assert report.ok, report.errors[:3]
    with app.test_request_context():
        admin = db.session.get(User, admin_id)
        started = time.perf_counter()
        report = apply_import(admin, csv_text)
        apply_s = time.perf_counter() - started
    with app.app_context():
        variants = db.session.scalar(select(func.count(Variant.id)))
        moves = db.session.scalar(select(func.count(StockMovement.id)))
    backend = arguments.database.split(":")[0]
    print(f"{backend}: {report.count('update')} updated, {report.count('create')} created")
    print(f"  dry run {preview_s:.2f} s, import {apply_s:.2f} s")
    print(f"  {variants} variants, {moves} stock movements")


if __name__ == "__main__":
    main()
