"""search structures per database

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 09:00:00

One table `products_fts` holds a normalised search document per product (name, SKUs,
category name, description; on PostgreSQL and MariaDB lower-cased, every run of characters
that are not letters or digits turned into one space, with a leading space), kept right by triggers on products, variants and categories. Each database indexes
it with what it offers: SQLite FTS5, PostgreSQL pg_trgm (GIN), MariaDB FULLTEXT.
See docs/search.md.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

def _normalise(dialect: str, expression: str) -> str:
    """Lower-case and turn every run of non-letters/digits into one space (as FTS5 does)."""
    if dialect == "postgresql":
        return f"regexp_replace(lower({expression}), '[^[:alnum:]]+', ' ', 'g')"
    if dialect in ("mysql", "mariadb"):
        return f"REGEXP_REPLACE(LOWER({expression}), '(*UCP)[^[:alnum:]]+', ' ')"
    return expression  # SQLite: the FTS5 tokenizer splits and folds case itself.


def _document(dialect: str, product_id: str) -> str:
    """Return a scalar subquery building the search document of product `product_id`."""
    if dialect == "postgresql":
        skus = "(SELECT string_agg(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)"
    elif dialect in ("mysql", "mariadb"):
        skus = "(SELECT GROUP_CONCAT(v.sku SEPARATOR ' ') FROM variants v WHERE v.product_id = p.id)"
    else:
        skus = "(SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)"
    parts = ["p.name", f"coalesce({skus}, '')", "coalesce(c.name, '')", "coalesce(p.description, '')"]
    if dialect in ("mysql", "mariadb"):
        text = f"CONCAT_WS(' ', {', '.join(parts)})"
        document = f"CONCAT(' ', {_normalise(dialect, text)})"
    else:
        text = " || ' ' || ".join(parts)
        document = f"' ' || {_normalise(dialect, text)}"
    return (
        f"(SELECT {document} FROM products p LEFT JOIN categories c ON c.id = p.category_id"
        f" WHERE p.id = {product_id})"
    )


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        _upgrade_postgresql()
    elif dialect in ("mysql", "mariadb"):
        _upgrade_mariadb()


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS products_fts_on_products ON products")
        op.execute("DROP TRIGGER IF EXISTS products_fts_on_variants ON variants")
        op.execute("DROP TRIGGER IF EXISTS products_fts_on_categories ON categories")
        op.execute("DROP FUNCTION IF EXISTS products_fts_on_products()")
        op.execute("DROP FUNCTION IF EXISTS products_fts_on_variants()")
        op.execute("DROP FUNCTION IF EXISTS products_fts_on_categories()")
        op.execute("DROP FUNCTION IF EXISTS products_fts_document(integer)")
    else:
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS products_fts")


_TRIGGERS = [
    "products_fts_product_insert",
    "products_fts_product_update",
    "products_fts_product_delete",
    "products_fts_variant_insert",
    "products_fts_variant_update",
    "products_fts_variant_delete",
    "products_fts_category_update",
]


def _upgrade_sqlite():
    doc = lambda pid: _document("sqlite", pid)  # noqa: E731
    # prefix indexes make short prefix queries ("ru"*) cheap.
    op.execute(
        "CREATE VIRTUAL TABLE products_fts USING fts5("
        "document, tokenize='unicode61 remove_diacritics 0', prefix='2 3')"
    )
    op.execute(f"INSERT INTO products_fts (rowid, document) SELECT id, {doc('products.id')} FROM products")
    refresh = lambda pid: f"UPDATE products_fts SET document = {doc(pid)} WHERE rowid = {pid};"  # noqa: E731
    statements = [
        "CREATE TRIGGER products_fts_product_insert AFTER INSERT ON products BEGIN "
        f"INSERT INTO products_fts (rowid, document) VALUES (NEW.id, {doc('NEW.id')}); END",
        "CREATE TRIGGER products_fts_product_update AFTER UPDATE OF name, description, "
        f"category_id ON products BEGIN {refresh('NEW.id')} END",
        "CREATE TRIGGER products_fts_product_delete AFTER DELETE ON products BEGIN "
        "DELETE FROM products_fts WHERE rowid = OLD.id; END",
        "CREATE TRIGGER products_fts_variant_insert AFTER INSERT ON variants BEGIN "
        f"{refresh('NEW.product_id')} END",
        "CREATE TRIGGER products_fts_variant_update AFTER UPDATE OF sku, product_id ON variants "
        f"BEGIN {refresh('OLD.product_id')} {refresh('NEW.product_id')} END",
        "CREATE TRIGGER products_fts_variant_delete AFTER DELETE ON variants BEGIN "
        f"{refresh('OLD.product_id')} END",
        "CREATE TRIGGER products_fts_category_update AFTER UPDATE OF name ON categories BEGIN "
        f"UPDATE products_fts SET document = {doc('products_fts.rowid')} WHERE rowid IN "
        "(SELECT id FROM products WHERE category_id = NEW.id); END",
    ]
    for statement in statements:
        op.execute(statement)


def _upgrade_postgresql():
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE TABLE products_fts (product_id INTEGER PRIMARY KEY "
        "REFERENCES products (id) ON DELETE CASCADE, document TEXT NOT NULL)"
    )
    op.execute(
        "CREATE INDEX ix_products_search_document ON products_fts USING gin (document gin_trgm_ops)"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION products_fts_document(pid integer) RETURNS text LANGUAGE sql AS $$ "
        f"SELECT coalesce({_document('postgresql', 'pid')}, '') $$"
    )
    op.execute(
        "INSERT INTO products_fts (product_id, document) "
        "SELECT id, products_fts_document(id) FROM products"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION products_fts_on_products() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP = 'INSERT' THEN "
        "INSERT INTO products_fts (product_id, document) VALUES (NEW.id, products_fts_document(NEW.id)); "
        "ELSE UPDATE products_fts SET document = products_fts_document(NEW.id) "
        "WHERE product_id = NEW.id; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER products_fts_on_products AFTER INSERT OR UPDATE OF name, description, "
        "category_id ON products FOR EACH ROW EXECUTE FUNCTION products_fts_on_products()"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION products_fts_on_variants() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP IN ('UPDATE', 'DELETE') THEN "
        "UPDATE products_fts SET document = products_fts_document(OLD.product_id) "
        "WHERE product_id = OLD.product_id; END IF; "
        "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
        "UPDATE products_fts SET document = products_fts_document(NEW.product_id) "
        "WHERE product_id = NEW.product_id; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER products_fts_on_variants AFTER INSERT OR DELETE OR UPDATE OF sku, "
        "product_id ON variants FOR EACH ROW EXECUTE FUNCTION products_fts_on_variants()"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION products_fts_on_categories() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE products_fts SET document = products_fts_document(product_id) "
        "WHERE product_id IN (SELECT id FROM products WHERE category_id = NEW.id); "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER products_fts_on_categories AFTER UPDATE OF name ON categories "
        "FOR EACH ROW EXECUTE FUNCTION products_fts_on_categories()"
    )


def _upgrade_mariadb():
    doc = lambda pid: _document("mariadb", pid)  # noqa: E731
    # A binary collation: LIKE and FULLTEXT compare the lower-cased document exactly, as the
    # other databases do (no accent folding that SQLite and PostgreSQL would not do).
    op.execute(
        "CREATE TABLE products_fts (product_id INTEGER NOT NULL PRIMARY KEY, "
        "document LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, "
        "CONSTRAINT products_fts_product_fk FOREIGN KEY (product_id) REFERENCES products (id) "
        "ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
    )
    op.execute(f"INSERT INTO products_fts (product_id, document) SELECT id, {doc('products.id')} FROM products")
    op.execute("CREATE FULLTEXT INDEX ix_products_fulltext_document ON products_fts (document)")
    refresh = lambda pid: f"UPDATE products_fts SET document = {doc(pid)} WHERE product_id = {pid};"  # noqa: E731
    statements = [
        "CREATE TRIGGER products_fts_product_insert AFTER INSERT ON products FOR EACH ROW "
        f"INSERT INTO products_fts (product_id, document) VALUES (NEW.id, {doc('NEW.id')})",
        "CREATE TRIGGER products_fts_product_update AFTER UPDATE ON products FOR EACH ROW BEGIN "
        "IF NOT (OLD.name <=> NEW.name AND OLD.description <=> NEW.description "
        f"AND OLD.category_id <=> NEW.category_id) THEN {refresh('NEW.id')} END IF; END",
        "CREATE TRIGGER products_fts_variant_insert AFTER INSERT ON variants FOR EACH ROW BEGIN "
        f"{refresh('NEW.product_id')} END",
        "CREATE TRIGGER products_fts_variant_update AFTER UPDATE ON variants FOR EACH ROW BEGIN "
        "IF NOT (OLD.sku <=> NEW.sku AND OLD.product_id <=> NEW.product_id) THEN "
        f"{refresh('OLD.product_id')} {refresh('NEW.product_id')} END IF; END",
        "CREATE TRIGGER products_fts_variant_delete AFTER DELETE ON variants FOR EACH ROW BEGIN "
        f"{refresh('OLD.product_id')} END",
        "CREATE TRIGGER products_fts_category_update AFTER UPDATE ON categories FOR EACH ROW BEGIN "
        "IF NOT (OLD.name <=> NEW.name) THEN "
        f"UPDATE products_fts f JOIN products pr ON pr.id = f.product_id "
        f"SET f.document = {doc('pr.id')} WHERE pr.category_id = NEW.id; END IF; END",
    ]
    for statement in statements:
        op.execute(statement)
