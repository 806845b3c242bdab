"""A CSV file the import cannot read gets a 4xx naming the line and the column, never a 500."""

from __future__ import annotations

import html
import io

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Product, Variant
from storefront.inventory.models import StockMovement

pytestmark = pytest.mark.all_databases

HEADER = "sku,product_name,price,stock,low_stock_threshold\n"
GOOD_ROW = "OK-1,Fine Shoe,19.99,4,2\n"


def _preview(admin_client, data: bytes):
    return admin_client.post(
        "/admin/inventory/import",
        data={"file": (io.BytesIO(data), "stock.csv")},
        content_type="multipart/form-data",
    )


def _apply(admin_client, csv_text: str):
    return admin_client.post(
        "/admin/inventory/import/apply",
        data={"csv_text": csv_text},
    )


def _nothing_written(db) -> bool:
    db.session.rollback()
    counts = [db.session.scalar(select(func.count(model.id))) for model in (Product, Variant)]
    return counts + [db.session.scalar(select(func.count(StockMovement.id)))] == [0, 0, 0]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("NEW-1,Shoe,19.99,²,2\n", "Line 3: stock “²” is not a whole number"),
        ("NEW-1,Shoe,19.99,2147483648,2\n", "Line 3: stock 2147483648 is larger than"),
        ("NEW-1,Shoe,19.99,1,99999999999\n", "Line 3: low_stock_threshold 99999999999 is larger"),
        ("NEW-1,Shoe,999999999,1,2\n", "Line 3: price 999999999 is more than"),
        ("NEW-1,Sh\x00oe,19.99,1,2\n", "Line 3: product_name contains a NUL byte"),
    ],
    ids=["superscript-digit", "stock-out-of-range", "threshold-out-of-range", "price", "nul"],
)
def test_a_bad_cell_is_named_by_line_and_column_in_the_preview_and_refused_on_apply(
    admin_client, db, bad_row, message
):
    csv_text = HEADER + GOOD_ROW + bad_row

    preview = _preview(admin_client, csv_text.encode())
    applied = _apply(admin_client, csv_text)

    assert preview.status_code == 400
    assert message in html.unescape(preview.get_data(as_text=True))
    assert applied.status_code == 400
    assert _nothing_written(db)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("NEW-1,Shoe," + "9" * 140_000 + ",1,2\n", "Line 3: a cell is longer than 131072"),
        ("NEW-1,Sh\roe,19.99,1,2\n", "Line 3: a cell holds a line break outside double quotes"),
    ],
    ids=["field-over-128-kb", "bare-carriage-return"],
)
def test_a_file_python_cannot_parse_as_csv_is_refused_naming_the_line(
    admin_client, db, bad_row, message
):
    csv_text = HEADER + GOOD_ROW + bad_row

    preview = _preview(admin_client, csv_text.encode())
    applied = _apply(admin_client, csv_text)

    assert preview.status_code == 400
    assert message in html.unescape(preview.get_data(as_text=True))
    assert applied.status_code == 400
    assert _nothing_written(db)
