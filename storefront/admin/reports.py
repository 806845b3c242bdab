"""The dashboard's figures, each one aggregate query (times in UTC)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from storefront.catalog.models import Product, Variant
from storefront.extensions import db
from storefront.inventory import levels
from storefront.models_base import utcnow
from storefront.orders.models import (
    STATUS_CANCELLED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    STATUS_SHIPPED,
    Order,
    OrderEvent,
)


def period_starts(now: datetime | None = None) -> dict[str, datetime]:
    """Return the UTC starts of today, this week (Monday) and this month."""
    now = now or utcnow()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "today": today,
        "week": today - timedelta(days=today.weekday()),
        "month": today.replace(day=1),
    }


def stock_counts() -> dict[str, int]:
    """Return the number of products, and of variants low on stock and sold out."""
    row = db.session.execute(
        select(
            func.coalesce(func.sum(case((levels.low_on_stock_sql(), 1), else_=0)), 0),
            func.coalesce(func.sum(case((levels.sold_out_sql(), 1), else_=0)), 0),
        )
        .join(Variant.product)
        .where(Product.is_active.is_(True))
    ).one()
    products = db.session.scalar(select(func.count(Product.id)))
    return {"products": products or 0, "low": int(row[0]), "sold_out": int(row[1])}


def order_counts(starts: dict[str, datetime]) -> dict[str, int]:
    """Return orders pending payment and paid now, and orders shipped today and this week."""
    by_status = dict(
        db.session.execute(
            select(Order.status, func.count(Order.id))
            .where(Order.status.in_([STATUS_PENDING_PAYMENT, STATUS_PAID]))
            .group_by(Order.status)
        ).all()
    )
    shipped = OrderEvent.to_status == STATUS_SHIPPED
    today, week = db.session.execute(
        select(
            func.count(
                func.distinct(case((OrderEvent.created_at >= starts["today"], OrderEvent.order_id)))
            ),
            func.count(func.distinct(OrderEvent.order_id)),
        ).where(shipped, OrderEvent.created_at >= starts["week"])
    ).one()
    return {
        "pending_payment": by_status.get(STATUS_PENDING_PAYMENT, 0),
        "paid": by_status.get(STATUS_PAID, 0),
        "shipped_today": today,
        "shipped_week": week,
    }


def revenue(starts: dict[str, datetime]) -> dict[str, int]:
    """Return the total of non-cancelled orders placed this week and this month, in cents."""
    earliest = min(starts["week"], starts["month"])
    week, month = db.session.execute(
        select(
            func.coalesce(
                func.sum(case((Order.created_at >= starts["week"], Order.total_cents), else_=0)), 0
            ),
            func.coalesce(
                func.sum(case((Order.created_at >= starts["month"], Order.total_cents), else_=0)), 0
            ),
        ).where(Order.status != STATUS_CANCELLED, Order.created_at >= earliest)
    ).one()
    return {"week": int(week), "month": int(month)}


def latest_orders(limit: int = 10) -> list[Order]:
    """Return the newest orders."""
    return list(
        db.session.scalars(
            select(Order).order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
        )
    )


def low_stock_variants(limit: int = 50) -> list[Variant]:
    """Return active products' variants at or below their threshold, emptiest first."""
    return list(
        db.session.scalars(
            select(Variant)
            .join(Variant.product)
            .options(joinedload(Variant.product))
            .where(Product.is_active.is_(True), levels.needs_restock_sql())
            .order_by(Variant.stock, Product.name, Variant.position)
            .limit(limit)
        )
    )
