"""The word-index migrations (0003, 0004) can be undone and redone and index existing products."""

from alembic import command
from sqlalchemy import text

from storefront.catalog.filters import CatalogFilters
from storefront.catalog.queries import list_products


def _search_indexes(db) -> set[str]:
    rows = db.session.execute(
        text("SELECT indexname FROM pg_indexes WHERE tablename = 'products_fts'")
    ).scalars()
    return {name for name in rows if name.startswith("ix_products_search")}


def found(query):
    return [product.name for product in list_products(CatalogFilters(q=query), 24).items]


def test_the_word_index_migration_downgrades_and_upgrades_with_existing_products(app, db, make):
    make.product("Existing Runner", sku_prefix="EXR", description="Made for the marathon.")
    make.product("Existing Boot", sku_prefix="EXB", description="Made for the snow.")
    config = app.extensions["migrate"].migrate.get_config()
    postgresql = db.engine.dialect.name == "postgresql"
    db.session.remove()

    command.downgrade(config, "0003")
    if postgresql:
        assert _search_indexes(db) == {"ix_products_search_words"}
    db.session.remove()

    command.downgrade(config, "0002")
    if postgresql:
        assert _search_indexes(db) == {"ix_products_search_document"}
    db.session.remove()

    command.upgrade(config, "head")
    db.session.remove()
    if postgresql:
        assert _search_indexes(db) == {"ix_products_search_prefixes"}
    assert found("marath") == ["Existing Runner"]
    assert found("exr made") == ["Existing Runner"]
    assert found("made") == ["Existing Boot", "Existing Runner"]
