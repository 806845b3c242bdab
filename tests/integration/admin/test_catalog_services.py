"""Back-office catalogue rules: slugs, variants, prices, deleting and archiving, categories."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.admin import operations
from storefront.audit import AuditEntry
from storefront.catalog import category_services, services
from storefront.catalog.models import Category, Product, Variant
from storefront.errors import Conflict, ValidationFailed
from storefront.inventory.models import StockMovement


def details(name="Trail Blazer", slug="", price=7990, category_id=None):
    return services.ProductDetails(name, slug, "Grippy.", price, category_id, True)


def first_variant(sku="TB-42", label="42", stock=6):
    return services.VariantDetails(label, sku, None, 2, stock)


def test_new_product_gets_a_slug_from_its_name_and_initial_stock_through_the_ledger(db, admin_user):
    product = operations.create_product(admin_user, details(), first_variant())
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.slug == "trail-blazer"
    assert (product.price_min_cents, product.price_max_cents) == (7990, 7990)
    variant = product.variants[0]
    movement = db.session.scalars(select(StockMovement)).one()
    assert (variant.stock, movement.delta, movement.reason) == (6, 6, "initial")
    assert db.session.scalars(select(AuditEntry.action)).all() == ["product.create"]


def test_slug_is_editable_but_unique(db, make, admin_user):
    make.product(name="Other", slug="taken")
    with pytest.raises(Conflict) as refused:
        operations.create_product(admin_user, details(slug="taken"), first_variant())
    assert refused.value.field == "slug"
    assert db.session.scalar(select(Product).where(Product.name == "Trail Blazer")) is None
    product = operations.create_product(admin_user, details(slug="My Own Slug"), first_variant())
    assert product.slug == "my-own-slug"


def test_sku_must_be_unique_across_the_shop(db, make, admin_user):
    make.product(sku_prefix="DUP", sizes={"42": 1})
    with pytest.raises(Conflict):
        operations.create_product(admin_user, details(), first_variant(sku="DUP-42"))


def test_price_range_follows_variant_price_changes(db, make, admin_user):
    product = make.product(price_cents=5000, sizes={"41": 1, "42": 1})
    operations.add_variant(
        admin_user, product.id, services.VariantDetails("43", "NEW-43", 6500, 3, 0)
    )
    size41 = product.variants[0]
    services.update_variant(
        admin_user, product.id, size41.id, services.VariantDetails("41", size41.sku, 4500, 3)
    )
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (product.price_min_cents, product.price_max_cents) == (4500, 6500)
    services.update_product(admin_user, product.id, details(name=product.name, price=4000))
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (product.price_min_cents, product.price_max_cents) == (4000, 6500)


def test_removing_a_variant_writes_its_stock_off_and_the_last_one_stays(db, make, admin_user):
    product = make.product(sizes={"41": 4, "42": 1})
    size41, size42 = product.variants
    operations.remove_variant(admin_user, product.id, size41.id)
    movement = db.session.scalars(select(StockMovement).where(StockMovement.delta < 0)).one()
    assert (movement.delta, movement.reason, movement.sku) == (-4, "write_off", size41.sku)
    with pytest.raises(ValidationFailed):
        operations.remove_variant(admin_user, product.id, size42.id)
    assert db.session.get(Variant, size42.id) is not None


def test_product_never_ordered_is_deleted(db, make, admin_user):
    product = make.product()
    message = operations.delete_or_archive_product(admin_user, product.id)
    assert "deleted" in message
    db.session.expire_all()
    assert db.session.get(Product, product.id) is None


def test_ordered_product_is_archived_instead_and_the_message_says_so(
    db, make, admin_user, place_order
):
    product = make.product(sizes={"42": 3})
    place_order({product.variants[0]: 1})
    message = operations.delete_or_archive_product(admin_user, product.id)
    assert "archived" in message
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is False


def test_category_with_products_cannot_be_deleted_and_says_why(db, make, admin_user):
    shelf = make.category("Boots")
    make.product(category=shelf)
    make.product(category=shelf)
    with pytest.raises(Conflict) as refused:
        category_services.delete_category(admin_user, shelf.id)
    assert "2 products" in refused.value.message
    assert db.session.get(Category, shelf.id) is not None


def test_categories_can_be_added_renamed_and_deleted_when_empty(db, admin_user):
    shelf = category_services.create_category(admin_user, "Sandals")
    assert shelf.slug == "sandals"
    with pytest.raises(Conflict):
        category_services.create_category(admin_user, "sandals")
    category_services.rename_category(admin_user, shelf.id, "Summer Sandals", "summer")
    db.session.expire_all()
    assert db.session.get(Category, shelf.id).slug == "summer"
    category_services.delete_category(admin_user, shelf.id)
    assert db.session.get(Category, shelf.id) is None
