"""Dashboard figures come from aggregate queries and count what the owner expects."""

from __future__ import annotations

from datetime import timedelta

from storefront.admin import reports
from storefront.models_base import utcnow
from storefront.orders.workflow import change_order_status


def test_dashboard_counts_stock_orders_and_revenue(db, make, admin_user, place_order):
    product = make.product(sizes={"40": 0, "41": 2, "42": 10}, low_stock_threshold=3)
    make.product(sizes={"40": 1})
    make.product(sizes={"40": 0}, is_active=False)  # archived: not counted as sold out
    size42 = product.variants[2]
    paid = place_order({size42: 1})
    shipped = place_order({size42: 2})
    cancelled = place_order({size42: 1})
    place_order({size42: 1})
    change_order_status(admin_user, paid.id, "paid")
    change_order_status(admin_user, shipped.id, "paid")
    change_order_status(admin_user, shipped.id, "shipped")
    change_order_status(admin_user, cancelled.id, "cancelled")

    starts = reports.period_starts()
    assert reports.stock_counts() == {"products": 3, "low": 2, "sold_out": 1}
    orders = reports.order_counts(starts)
    assert orders == {"pending_payment": 1, "paid": 1, "shipped_today": 1, "shipped_week": 1}
    expected = (5000 + 499) + (10000 + 499) + (5000 + 499)
    assert reports.revenue(starts) == {"week": expected, "month": expected}
    assert len(reports.latest_orders()) == 4
    low = reports.low_stock_variants()
    assert [v.stock for v in low] == [0, 1, 2]


def test_periods_start_on_monday_and_the_first_of_the_month_in_utc():
    now = utcnow().replace(year=2025, month=3, day=13, hour=15)  # a Thursday
    starts = reports.period_starts(now)
    assert starts["today"] == now.replace(hour=0, minute=0, second=0, microsecond=0)
    assert starts["week"] == starts["today"] - timedelta(days=3)
    assert starts["month"].day == 1 and starts["month"].tzinfo is not None
