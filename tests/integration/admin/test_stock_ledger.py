"""The stock ledger always explains the stock level, whatever changed it."""

from __future__ import annotations

from sqlalchemy import func, select

from storefront.catalog.models import Variant
from storefront.inventory import services as stock
from storefront.inventory.models import StockMovement
from storefront.orders.models import STATUS_CANCELLED, STATUS_PAID
from storefront.orders.workflow import change_order_status


def assert_ledger_matches_stock(db):
    db.session.expire_all()
    for variant in db.session.scalars(select(Variant)):
        total = db.session.scalar(
            select(func.coalesce(func.sum(StockMovement.delta), 0)).where(
                StockMovement.variant_id == variant.id
            )
        )
        assert total == variant.stock, variant.sku
        last = db.session.scalar(
            select(StockMovement.stock_after)
            .where(StockMovement.variant_id == variant.id)
            .order_by(StockMovement.id.desc())
            .limit(1)
        )
        assert last in (None, variant.stock)


def test_ledger_sums_to_stock_after_receive_stocktake_write_off_order_and_cancel(
    db, make, admin_user, place_order
):
    product = make.product(sizes={"41": 5, "42": 2})
    size41, size42 = product.variants

    assert stock.receive_stock(admin_user, size41.id, 10, "Delivery 123") == 15
    assert_ledger_matches_stock(db)
    assert stock.take_stocktake(admin_user, size42.id, 7, "Shelf count") == 7
    assert_ledger_matches_stock(db)
    assert stock.write_off_stock(admin_user, size41.id, 3, "Water damage") == 12
    assert_ledger_matches_stock(db)

    order = place_order({size41: 4, size42: 1})
    assert_ledger_matches_stock(db)
    assert db.session.get(Variant, size41.id).stock == 8

    change_order_status(admin_user, order.id, STATUS_PAID)
    change_order_status(admin_user, order.id, STATUS_CANCELLED, "Customer asked")
    assert_ledger_matches_stock(db)
    assert db.session.get(Variant, size41.id).stock == 12
    assert db.session.get(Variant, size42.id).stock == 7
    reasons = db.session.scalars(select(StockMovement.reason).order_by(StockMovement.id)).all()
    assert reasons[-2:] == ["cancel", "cancel"]


def test_write_off_of_more_than_is_in_stock_is_refused_and_changes_nothing(db, make, admin_user):
    import pytest

    from storefront.errors import InsufficientStock

    variant = make.product(sizes={"40": 2}).variants[0]
    with pytest.raises(InsufficientStock):
        stock.write_off_stock(admin_user, variant.id, 3, "Lost")
    db.session.expire_all()
    assert db.session.get(Variant, variant.id).stock == 2
    assert_ledger_matches_stock(db)


def test_every_stock_change_needs_a_reason(db, make, admin_user):
    import pytest

    from storefront.errors import ValidationFailed

    variant = make.product(sizes={"40": 2}).variants[0]
    for change in (stock.receive_stock, stock.write_off_stock, stock.take_stocktake):
        with pytest.raises(ValidationFailed) as refused:
            change(admin_user, variant.id, 1, "   ")
        assert refused.value.field == "note"


def test_stock_changes_are_in_the_audit_trail(db, make, admin_user):
    from storefront.audit import AuditEntry

    variant = make.product(sizes={"40": 2}).variants[0]
    stock.receive_stock(admin_user, variant.id, 3, "Delivery")
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.target_id) == (
        "stock.receive",
        admin_user.id,
        str(variant.id),
    )
