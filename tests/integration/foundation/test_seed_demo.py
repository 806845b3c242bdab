"""The demo catalogue: a shoe shop with sizes, stock and drawn images, ledger included."""

from sqlalchemy import func, select

from storefront.catalog.images import thumb_key
from storefront.catalog.models import Category, Product, Variant
from storefront.catalog.storage import image_storage
from storefront.demo import seed_demo
from storefront.inventory.models import StockMovement


def test_the_demo_catalogue_has_24_products_in_4_categories_with_sizes_images_and_ledger(db):
    assert seed_demo() >= 24
    assert db.session.scalar(select(func.count(Category.id))) >= 4
    products = db.session.scalars(select(Product)).all()
    assert len(products) >= 24
    for product in products:
        assert len(product.variants) >= 3
        assert product.images, product.name
        assert image_storage().load(thumb_key(product.images[0].storage_key))
    for variant in db.session.scalars(select(Variant)):
        ledger = db.session.scalar(
            select(func.coalesce(func.sum(StockMovement.delta), 0)).where(
                StockMovement.variant_id == variant.id
            )
        )
        assert ledger == variant.stock
