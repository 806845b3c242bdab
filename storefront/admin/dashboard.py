"""Back-office dashboard: what needs attention today."""

from flask import render_template

from storefront.admin import reports
from storefront.admin.blueprint import bp


@bp.get("/")
def dashboard():
    """Show counts, revenue, the latest orders and what is running low."""
    starts = reports.period_starts()
    return render_template(
        "admin/dashboard.html",
        stock=reports.stock_counts(),
        orders=reports.order_counts(starts),
        revenue=reports.revenue(starts),
        latest_orders=reports.latest_orders(),
        low_stock=reports.low_stock_variants(),
    )
