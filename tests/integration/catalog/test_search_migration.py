"""The search migration can be undone and redone, and fills the index for existing products."""

from alembic import command
from sqlalchemy import inspect

from storefront.catalog.filters import CatalogFilters
from storefront.catalog.queries import list_products


def test_the_search_migration_downgrades_and_upgrades_with_existing_products(app, db, make):
    make.product("Existing Runner", sku_prefix="EXR")
    config = app.extensions["migrate"].migrate.get_config()
    db.session.remove()
    command.downgrade(config, "0001")
    assert "products_fts" not in inspect(db.engine).get_table_names()
    command.upgrade(config, "head")
    db.session.remove()
    result = list_products(CatalogFilters(q="exr runner"), per_page=24)
    assert [product.name for product in result.items] == ["Existing Runner"]
