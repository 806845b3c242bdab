"""search words index on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 10:00:00

PostgreSQL only (the other databases are left as they are). The trigram index answered
`document LIKE '% word%'` through the trigrams of the word, and a common word's count visited
every candidate row (and, before a VACUUM, every dead version of it). This replaces it with a
GIN index over the document's words as a `tsvector` (`products_search_words(document)`), which
a prefix query (`'word':*`) answers exactly. The words are the document's own (it is already
lower-cased, with single spaces between words): no dictionary, no stemming, no stopwords, so
the index matches what LIKE matched. Each word is cut to 40 characters, the longest search word
(`storefront.catalog.search.MAX_TERM_LENGTH`): a word of 40 characters or fewer is the start of
a word exactly when it is the start of that word's first 40 characters, and a tsvector cannot
hold a word longer than 2,047 bytes. See docs/search.md.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Keep the 40 in step with storefront.catalog.search.MAX_TERM_LENGTH.
_WORDS_FUNCTION = (
    "CREATE OR REPLACE FUNCTION products_search_words(document text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_tsvector(array_remove("
    "string_to_array(regexp_replace(document, '([^ ]{40})[^ ]+', '\\1', 'g'), ' '), '')) $$"
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_WORDS_FUNCTION)
    op.execute(
        "CREATE INDEX ix_products_search_words ON products_fts "
        "USING gin (products_search_words(document))"
    )
    op.execute("DROP INDEX IF EXISTS ix_products_search_document")
    op.execute("ANALYZE products_fts")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_products_search_document ON products_fts "
        "USING gin (document gin_trgm_ops)"
    )
    op.execute("DROP INDEX IF EXISTS ix_products_search_words")
    op.execute("DROP FUNCTION IF EXISTS products_search_words(text)")
