"""Full-text product search: one entry point, a strategy per database, a plain fallback.

Every word of the query must start a word of the product's name, SKUs, category name or
description (case-insensitive). The database-specific index finds the candidates; where it
cannot be exact (MariaDB FULLTEXT skips short words and stopwords) a LIKE over the same
normalised document decides, so every database returns the same products. See docs/search.md.
"""

from __future__ import annotations

import re

from sqlalchemy import (
    ColumnElement,
    and_,
    column,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    table,
    text,
)

from storefront.catalog.models import Category, Product, Variant

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40

_WORD = re.compile(r"[^\W_]+")

# InnoDB's default stopwords: FULLTEXT does not index them, so a query word that could be
# the start of one is checked with LIKE only.
INNODB_STOPWORDS = frozenset(
    "a about an are as at be by com de en for from how i in is it la of on or that the this "
    "to was what when where who will with und www".split()
)
INNODB_MIN_TOKEN = 3

_fts = table("products_fts", column("product_id"), column("document"), column("rowid"))


def search_terms(query: str | None) -> list[str]:
    """Return the lower-cased words of a search query (bounded in number and length)."""
    if not query:
        return []
    words = _WORD.findall(query[:MAX_QUERY_LENGTH].lower())
    unique = list(dict.fromkeys(word[:MAX_TERM_LENGTH] for word in words))
    return unique[:MAX_TERMS]


def search_products(
    query: str | None, dialect: str, in_listing_order: bool = False
) -> ColumnElement[bool] | None:
    """Return a condition on Product matching the search query, or None for no query.

    `in_listing_order` (SQLite): let the planner walk the listing index in the page's order and
    test each product against the matches, instead of fetching and sorting every match; the
    caller asks for it when the matches are many (a common word), where that stops early.
    """
    terms = search_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        return _sqlite(terms, in_listing_order)
    if dialect == "postgresql":
        return _postgresql(terms)
    if dialect in ("mysql", "mariadb"):
        return _mariadb(terms)
    return plain_search(terms)


def _sqlite_match(terms: list[str]):
    # FTS5 unicode61 splits on non-alphanumerics and folds case: a prefix query is exact.
    match = " ".join(f'"{term}"*' for term in terms)
    return text("products_fts MATCH :fts_match").bindparams(fts_match=match)


def _sqlite(terms: list[str], in_listing_order: bool = False) -> ColumnElement[bool]:
    # `id + 0` is not an indexable column, so SQLite cannot drive the query from the matches.
    product_id = Product.id + 0 if in_listing_order else Product.id
    return product_id.in_(select(_fts.c.rowid).where(_sqlite_match(terms)))


def count_active_matches(query: str | None, dialect: str) -> int | None:
    """Return how many active products match the query, where the index can say it cheaply.

    SQLite only (None elsewhere, and for no query): the FTS5 table has exactly one row per
    product (kept by triggers), so the active matches are all matches, counted in the index,
    less the inactive products among them (few, and found through the listing index), with
    no lookup of each matching product's row.
    """
    terms = search_terms(query)
    if not terms or dialect != "sqlite":
        return None
    from storefront.extensions import db

    match = _sqlite_match(terms)
    matches = select(func.count()).select_from(_fts).where(match).scalar_subquery()
    # `id + 0`: walk the few inactive products (listing index) and test each against the matches.
    inactive = (
        select(func.count(Product.id))
        .where(
            Product.is_active == false(), (Product.id + 0).in_(select(_fts.c.rowid).where(match))
        )
        .scalar_subquery()
    )
    return db.session.execute(select(matches - inactive)).scalar_one()


def _word_prefix(term: str) -> ColumnElement[bool]:
    # The document has a leading space and single spaces between words.
    return _fts.c.document.like(f"% {term}%")


def _postgresql(terms: list[str]) -> ColumnElement[bool]:
    # pg_trgm's GIN index answers LIKE '% word%' directly.
    candidates = select(_fts.c.product_id).where(*[_word_prefix(term) for term in terms])
    return Product.id.in_(candidates)


def _fulltext_usable(term: str) -> bool:
    if len(term) < INNODB_MIN_TOKEN:
        return False
    return not any(stopword.startswith(term) for stopword in INNODB_STOPWORDS)


def _mariadb(terms: list[str]) -> ColumnElement[bool]:
    indexed = [term for term in terms if _fulltext_usable(term)]
    conditions = [_word_prefix(term) for term in terms]
    if indexed:
        against = " ".join(f"+{term}*" for term in indexed)
        conditions.insert(
            0,
            text("MATCH (products_fts.document) AGAINST (:ft_query IN BOOLEAN MODE)").bindparams(
                ft_query=against
            ),
        )
    return Product.id.in_(select(_fts.c.product_id).where(*conditions))


def plain_search(terms: list[str]) -> ColumnElement[bool]:
    """Return a LIKE-only condition (any database; scans, so only a fallback)."""

    def contains(expression, term):
        return func.lower(expression).like(f"%{term}%")

    per_term = []
    for term in terms:
        per_term.append(
            or_(
                contains(Product.name, term),
                contains(Product.description, term),
                exists().where(Variant.product_id == Product.id, contains(Variant.sku, term)),
                exists().where(Category.id == Product.category_id, contains(Category.name, term)),
            )
        )
    return and_(literal(True), *per_term)
