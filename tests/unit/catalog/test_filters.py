"""Query-string parsing, search words, stock badges and page numbers, without a database."""

from types import SimpleNamespace

import pytest

from storefront.catalog.filters import parse_filters, parse_page
from storefront.catalog.queries import ProductPage
from storefront.catalog.search import search_terms
from storefront.inventory.levels import stock_badge


@pytest.mark.parametrize(
    ("text", "page"),
    [("", 1), ("-1", 1), ("abc", 1), ("0", 1), ("3", 3), (" 2 ", 2), ("9" * 40, 1), ("1e3", 1)],
)
def test_a_page_number_that_is_not_a_positive_number_means_page_one(text, page):
    assert parse_page(text) == page


def test_a_minimum_price_above_the_maximum_is_swapped():
    filters = parse_filters({"min": "90", "max": "10.50"})
    assert (filters.min_cents, filters.max_cents) == (1050, 9000)


def test_unknown_category_size_and_sort_are_ignored():
    filters = parse_filters(
        {"category": "nope", "size": "99", "sort": "anything"}, ["running"], ["42"]
    )
    assert (filters.category, filters.size, filters.sort) == (None, None, "newest")


def test_known_category_and_size_are_kept_and_survive_in_the_query_string():
    filters = parse_filters(
        {"category": "running", "size": "42", "sort": "price_asc", "in_stock": "1", "page": "2"},
        ["running"],
        ["42"],
    )
    assert filters.query_args(page=3) == {
        "category": "running",
        "size": "42",
        "sort": "price_asc",
        "in_stock": "1",
        "page": 3,
    }


def test_a_huge_search_string_is_cut_to_200_characters():
    assert len(parse_filters({"q": "x" * 10_000}).q) == 200


def test_search_words_are_lower_cased_split_on_punctuation_and_bounded():
    assert search_terms("Trail-RUNNER  sku12_42 <b>") == ["trail", "runner", "sku12", "42", "b"]
    assert len(search_terms(" ".join(f"w{n}" for n in range(50)))) == 8
    assert search_terms("%' OR 1=1 --") == ["or", "1"]


def _product(*stocks, threshold=3):
    variants = [SimpleNamespace(stock=s, low_stock_threshold=threshold) for s in stocks]
    return SimpleNamespace(variants=variants)


@pytest.mark.parametrize(
    ("stocks", "label"),
    [((5, 5), "In stock"), ((2, 1), "Only 3 left"), ((1, 0), "Only 1 left"), ((0, 0), "Sold out")],
)
def test_the_stock_badge_says_in_stock_only_n_left_or_sold_out(stocks, label):
    assert stock_badge(_product(*stocks)).label == label


def test_page_numbers_show_the_ends_and_a_window_with_gaps():
    page = ProductPage([], total=24 * 20, page=10, per_page=24)
    assert page.page_numbers() == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert ProductPage([], 0, 1, 24).pages == 1


def test_pages_not_all_counted_link_no_last_page_and_end_in_a_gap_while_more_follow():
    uncounted = ProductPage(
        [], total=1000, page=50, per_page=24, counted_all=False, more_after=True
    )
    assert uncounted.has_next and uncounted.pages == 51
    assert uncounted.page_numbers() == [1, None, 48, 49, 50, 51, None]
    last = ProductPage([], total=1000, page=60, per_page=24, counted_all=False, more_after=False)
    assert not last.has_next and last.page_numbers() == [1, None, 58, 59, 60]
    early = ProductPage([], total=1000, page=1, per_page=24, counted_all=False, more_after=True)
    assert early.page_numbers() == [1, 2, 3, None]
