"""CSV import: a dry run reports every bad row; a file is applied whole or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Product, Variant
from storefront.inventory.catalog_import import ImportRefused, apply_import, preview_import
from storefront.inventory.models import StockMovement

HEADER = (
    "sku,product_name,product_slug,category,size,price,price_override,stock,"
    "low_stock_threshold,active\n"
)


def snapshot(db):
    db.session.expire_all()
    return (
        db.session.execute(
            select(Variant.sku, Variant.stock, Variant.label).order_by(Variant.sku)
        ).all(),
        db.session.execute(select(Product.slug, Product.name, Product.base_price_cents)).all(),
        db.session.scalar(select(func.count(StockMovement.id))),
    )


def test_import_with_one_bad_row_changes_nothing_and_reports_the_row(db, make, admin_user):
    make.category("Running", slug="running")
    make.product(name="Swift", slug="swift", sizes={"42": 5}, sku_prefix="SW")
    before = snapshot(db)
    text = HEADER + (
        "SW-42,,,,,,,9,,\n"  # line 2: fine (an update)
        "NEW-1,Tempo,tempo,Running,41,59.90,,4,2,yes\n"  # line 3: fine (a new product)
        "NEW-2,Tempo,tempo,Running,42,59.90,,lots,2,yes\n"  # line 4: bad stock
    )

    report = preview_import(text)
    assert not report.ok
    assert [line for line, _ in report.errors] == [4]
    assert "Line 4" in report.errors[0][1] and "stock" in report.errors[0][1]

    with pytest.raises(ImportRefused) as refused:
        apply_import(admin_user, text)
    assert [line for line, _ in refused.value.report.errors] == [4]
    assert snapshot(db) == before


def test_preview_lists_every_bad_row_with_its_line_number(db, make):
    make.product(name="Swift", slug="swift", sizes={"42": 5}, sku_prefix="SW")
    text = HEADER + (
        ",Nameless,,,,10,,1,,\n"  # 2: no sku
        "A-1,Shoe A,,Nowhere,,10,,1,,\n"  # 3: unknown category
        "A-2,,,,,,,1,,\n"  # 4: new sku without product
        "A-3,Shoe C,,,,abc,,1,,\n"  # 5: bad price
        "A-3,Shoe C,,,,10,,1,,\n"  # 6: duplicate sku
        "SW-42,,other-product,,,,,1,,\n"  # 7: sku belongs to another product
        "A-4,Shoe D,,,,10,,1,,maybe\n"  # 8: bad active
    )
    report = preview_import(text)
    assert sorted({line for line, _ in report.errors}) == [2, 3, 4, 5, 6, 7, 8]


def test_good_file_creates_and_updates_by_sku_through_the_ledger(db, make, admin_user):
    running = make.category("Running", slug="running")
    make.product(
        name="Swift", slug="swift", sizes={"42": 5, "43": 1}, sku_prefix="SW", price_cents=5000
    )
    text = HEADER + (
        "SW-42,Swift Road,,,,55.00,,9,4,\n"
        "SW-43,,,,,,62.50,0,,\n"
        "TP-41,Tempo,tempo,Running,41,59.90,,4,2,yes\n"
        "TP-42,Tempo,tempo,Running,42,59.90,,0,2,yes\n"
    )
    assert preview_import(text).ok

    report = apply_import(admin_user, text)

    assert (report.count("create"), report.count("update")) == (2, 2)
    db.session.expire_all()
    swift = db.session.scalar(select(Product).where(Product.slug == "swift"))
    assert swift.name == "Swift Road" and swift.base_price_cents == 5500
    stocks = {
        v.sku: (v.stock, v.low_stock_threshold, v.price_override_cents) for v in swift.variants
    }
    assert stocks == {"SW-42": (9, 4, None), "SW-43": (0, 3, 6250)}
    assert (swift.price_min_cents, swift.price_max_cents) == (5500, 6250)
    tempo = db.session.scalar(select(Product).where(Product.slug == "tempo"))
    assert tempo.category_id == running.id and tempo.base_price_cents == 5990
    assert sorted((v.label, v.stock) for v in tempo.variants) == [("41", 4), ("42", 0)]
    moves = db.session.execute(
        select(StockMovement.sku, StockMovement.delta).where(StockMovement.reason == "import")
    ).all()
    assert sorted(moves) == [("SW-42", 4), ("SW-43", -1), ("TP-41", 4)]


def test_the_stock_export_can_be_imported_again_unchanged(db, make, admin_user):
    from storefront.inventory.csv_io import stock_levels_csv

    make.category("Trail", slug="trail")
    make.product(name="Ridge", sizes={"40": 3, "41": 0}, price_overrides={"41": 7000})
    before = snapshot(db)
    text = "".join(stock_levels_csv())
    report = apply_import(admin_user, text)
    assert report.count("update") == 2
    assert snapshot(db) == before


def _rows(count: int, start: int = 0) -> str:
    return "".join(
        f"B{n}-42,Bulk shoe {n},bulk-{n},,42,59.90,,{n % 7},2,yes\n"
        for n in range(start, start + count)
    )


def _round_trips(counter, backend: str) -> int:
    # SQLAlchemy's unit of work inserts new rows one by one on SQLite, where a statement is a
    # call into the library in the same process rather than a trip to a server.
    ignored = ("INSERT",) if backend == "sqlite" else ()
    return sum(1 for sql in counter.statements if not sql.lstrip().startswith(ignored))


def test_the_number_of_statements_of_an_import_does_not_grow_with_its_rows(
    db, backend, admin_user, count_queries
):
    apply_import(admin_user, HEADER + _rows(20))  # the products exist: the next are updates
    small = HEADER + _rows(20).replace(",59.90,", ",61.00,")
    large = HEADER + _rows(20).replace(",59.90,", ",61.00,") + _rows(380, start=20)

    with count_queries() as counter:
        preview_import(small)
        apply_import(admin_user, small)
    for_twenty = _round_trips(counter, backend)
    with count_queries() as counter:
        preview_import(large)
        apply_import(admin_user, large)

    assert _round_trips(counter, backend) <= for_twenty + 10
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Variant.id))) == 400
    moves = db.session.scalar(
        select(func.sum(StockMovement.delta)).where(StockMovement.reason == "import")
    )
    assert moves == sum(n % 7 for n in range(400))
