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
    any_,
    cast,
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
from sqlalchemy.dialects.postgresql import TSQUERY

from storefront.catalog.models import Category, Product, Variant

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# PostgreSQL's word index (migration 0004) keeps the starts of each word's first 40 characters.
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

    `in_listing_order`: the caller has counted many matches (a common word). Then the page
    walks the listing index in its own order and tests each product against the matches,
    stopping when the page is full, instead of fetching and sorting every match. SQLite
    always walks; PostgreSQL's planner walks on the early pages and sorts on deep ones; MariaDB
    leaves it to its planner.
    """
    terms = search_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        return _sqlite(terms, in_listing_order)
    if dialect == "postgresql":
        return _postgresql(terms, in_listing_order)
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


def count_active_matches(query: str | None, dialect: str, up_to: int | None = None) -> int | None:
    """Return how many active products match the query (no more than `up_to`), from the index.

    SQLite and PostgreSQL (None elsewhere, and for no query): the search table has exactly one
    row per product (kept by triggers), so the matches are counted in the search index, leaving
    out the inactive products (few, found once through the listing index), with no lookup of
    each matching product's row. Counting stops at `up_to`.
    """
    terms = search_terms(query)
    if not terms or dialect not in ("sqlite", "postgresql"):
        return None
    from storefront.extensions import db

    if dialect == "sqlite":
        match, fts_id = _sqlite_match(terms), _fts.c.rowid
    else:
        match, fts_id = _words_match(terms), _fts.c.product_id
    inactive = select(Product.id).where(Product.is_active == false())
    matches = select(fts_id).where(match, fts_id.not_in(inactive))
    if up_to is not None:
        matches = matches.limit(up_to)
    return db.session.execute(select(func.count()).select_from(matches.subquery())).scalar_one()


def _word_prefix(term: str) -> ColumnElement[bool]:
    # The document has a leading space and single spaces between words.
    return _fts.c.document.like(f"% {term}%")


def _words_match(terms: list[str]) -> ColumnElement[bool]:
    # Every term as the start of a word of the document, answered exactly by migration 0004's
    # GIN index, which holds every start of every word: each term is one exact lexeme (a
    # prefix query would gather all of its matches into a bitmap first). Terms hold only
    # letters and digits: nothing to escape in the tsquery.
    lexemes = " & ".join(f"'{term}'" for term in terms)
    starts = func.products_search_prefixes(_fts.c.document)
    return starts.bool_op("@@")(cast(lexemes, TSQUERY))


def _postgresql(terms: list[str], in_listing_order: bool) -> ColumnElement[bool]:
    if in_listing_order:
        # Many matches: the same test as LIKE over the document, cheap per product (a
        # twentieth of building its words for the word index) and well estimated from the
        # document's statistics. The planner walks the listing index in the page's order on
        # early pages, testing each product until the page is full; on deep pages it scans
        # the search table and sorts the matches instead.
        candidates = select(_fts.c.product_id).where(*[_word_prefix(term) for term in terms])
        return Product.id.in_(candidates)
    # Few matches (or a count): take them all from the word index first (ARRAY(...) runs
    # once) and look each product up by primary key. Left to choose, the planner could walk
    # the whole listing for a rare word whose frequency it overestimates (a word missing
    # from the statistics is taken to be as common as the rarest word they hold).
    matches = select(_fts.c.product_id).where(_words_match(terms)).scalar_subquery()
    return Product.id == any_(func.array(matches))


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
