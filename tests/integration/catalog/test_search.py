"""Search finds the same products on SQLite, PostgreSQL and MariaDB for the same data."""

import pytest
from sqlalchemy import select

from storefront.catalog import queries
from storefront.catalog.filters import SORTS, CatalogFilters
from storefront.catalog.models import Product, Variant
from storefront.catalog.queries import list_products
from storefront.catalog.search import MAX_TERM_LENGTH, plain_search, search_products, search_terms


@pytest.fixture
def catalogue(db, make):
    running, boots = make.category("Running"), make.category("Winter Boots")
    make.product(
        "Swift Road Runner",
        category=running,
        sku_prefix="SWR",
        description="Light, cushioned shoe for the road.",
    )
    make.product(
        "Trail Runner GTX",
        category=running,
        sku_prefix="TRL",
        description="Waterproof (Gore-Tex) upper; grippy sole.",
    )
    make.product(
        "Alpine Boot",
        category=boots,
        sku_prefix="ALP",
        description="Warm lining. Walk in the snow with ease.",
    )
    make.product("Town Loafer", sku_prefix="TWN", description="Soft leather — “Comfort” all day.")
    make.product("Café Runner", category=running, sku_prefix="CAF", description="Für die Stadt.")
    make.product("Archived Runner", category=running, is_active=False, sku_prefix="OLD")
    return running, boots


def found(query, **filters):
    result = list_products(CatalogFilters(q=query, sort="name", **filters), per_page=100)
    return [product.name for product in result.items]


SEARCHES = {
    "": ["Alpine Boot", "Café Runner", "Swift Road Runner", "Town Loafer", "Trail Runner GTX"],
    "runner": ["Café Runner", "Swift Road Runner", "Trail Runner GTX"],
    "RUNNER": ["Café Runner", "Swift Road Runner", "Trail Runner GTX"],
    "run": ["Café Runner", "Swift Road Runner", "Trail Runner GTX"],
    "runner road": ["Swift Road Runner"],
    "road runner swift": ["Swift Road Runner"],
    "runner boot": [],
    "unner": [],  # words match from their start
    "swr-42": [],
    "swr-one": ["Swift Road Runner"],
    "swr": ["Swift Road Runner"],
    "trl one": ["Trail Runner GTX"],
    "winter": ["Alpine Boot"],
    "boots": ["Alpine Boot"],
    "gore tex": ["Trail Runner GTX"],
    "gore-tex": ["Trail Runner GTX"],
    "comfort": ["Town Loafer"],
    "the": ["Alpine Boot", "Swift Road Runner"],
    "in": ["Alpine Boot"],
    "with": ["Alpine Boot"],
    "a": ["Alpine Boot", "Town Loafer"],
    "café": ["Café Runner"],
    "für": ["Café Runner"],
    "archived": [],
    "zzz": [],
    "%": ["Alpine Boot", "Café Runner", "Swift Road Runner", "Town Loafer", "Trail Runner GTX"],
}


@pytest.mark.parametrize(("query", "names"), SEARCHES.items(), ids=list(SEARCHES))
def test_search_gives_the_same_results_on_every_database(catalogue, query, names):
    assert found(query) == names


def test_search_combines_with_filters(catalogue):
    running, _ = catalogue
    assert found("runner", category=running.slug, max_cents=4000) == []
    assert found("runner", min_cents=4000, max_cents=6000) == [
        "Café Runner",
        "Swift Road Runner",
        "Trail Runner GTX",
    ]


def test_the_index_follows_renamed_products_skus_and_categories(db, catalogue, make):
    running, _ = catalogue
    product = db.session.scalar(select(Product).where(Product.name == "Town Loafer"))
    product.name = "Harbour Moccasin"
    product.category_id = running.id
    db.session.commit()
    assert found("loafer") == [] and found("moccasin") == ["Harbour Moccasin"]
    assert found("moccasin running") == ["Harbour Moccasin"]

    running.name = "Jogging"
    db.session.commit()
    assert found("jogging moccasin") == ["Harbour Moccasin"]
    assert found("running") == []

    variant = db.session.scalar(select(Variant).where(Variant.sku == "TWN-ONE"))
    variant.sku = "HBR-77"
    db.session.add(Variant(product_id=product.id, label="44", sku="HBX-44", stock=0))
    db.session.commit()
    assert found("hbr") == ["Harbour Moccasin"] and found("hbx 44") == ["Harbour Moccasin"]
    assert found("twn") == []

    db.session.delete(db.session.get(Variant, variant.id))
    db.session.commit()
    assert found("hbr") == []

    db.session.delete(product)
    db.session.commit()
    assert found("moccasin") == []


def test_a_stock_change_leaves_search_results_alone(db, catalogue):
    variant = db.session.scalar(select(Variant).where(Variant.sku == "ALP-ONE"))
    variant.stock = 0
    db.session.commit()
    assert found("alpine") == ["Alpine Boot"]


def test_the_plain_fallback_agrees_on_whole_words(db, catalogue):
    for query in ("runner road", "winter", "swr", "gore tex", "zzz"):
        condition = plain_search(search_terms(query))
        names = db.session.scalars(
            select(Product.name)
            .where(condition, Product.is_active.is_(True))
            .order_by(Product.name)
        ).all()
        assert names == found(query), query


def test_the_search_page_shows_the_count_and_a_helpful_empty_state(catalogue, client):
    html = client.get("/search?q=runner+road").get_data(as_text=True)
    assert 'data-result-count="1"' in html and "Swift Road Runner" in html
    empty = client.get("/search?q=zzz").get_data(as_text=True)
    assert "No products match “zzz”" in empty and "browse a category" in empty


@pytest.mark.parametrize("path", ["/p/%00", "/c/%00", "/search?q=%00", "/products?category=%00"])
def test_nul_bytes_never_reach_the_database(catalogue, client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


@pytest.mark.parametrize("many", [False, True], ids=["few-matches", "many-matches"])
def test_both_search_strategies_find_the_same_products(db, catalogue, many):
    # Each database has a strategy for few matches and one for many (walking the listing in
    # the page's order); on PostgreSQL they use different indexes and must still agree.
    for query, names in SEARCHES.items():
        condition = search_products(query, db.engine.dialect.name, in_listing_order=many)
        if condition is None:
            continue
        matched = db.session.scalars(
            select(Product.name)
            .where(condition, Product.is_active.is_(True))
            .order_by(Product.name)
        ).all()
        assert matched == names, query


def test_the_search_page_counts_only_products_on_sale(catalogue, client):
    html = client.get("/search?q=runner").get_data(as_text=True)
    assert 'data-result-count="3"' in html and "Archived Runner" not in html


def test_a_word_longer_than_any_search_word_is_found_by_its_start(db, make):
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"  # 45 characters
    make.product("Volcano Hiker", description=f"Tested against {word}.")
    make.product("Lava Sandal", description="Tested against ash.")
    assert len(word) > MAX_TERM_LENGTH
    assert found(word[:MAX_TERM_LENGTH]) == ["Volcano Hiker"]
    assert found(word) == ["Volcano Hiker"]
    assert found(word[:12] + " hiker") == ["Volcano Hiker"]


def test_a_description_with_a_huge_word_can_be_saved_and_found_by_its_other_words(db, make):
    # A tsvector cannot hold a word of more than 2,047 bytes: the index must cut it, not fail.
    make.product("Data Runner", description="Encoded " + "Q" * 3000 + " sole")
    assert found("encoded sole") == ["Data Runner"]
    assert found("data") == ["Data Runner"]


def test_the_longest_description_in_a_wide_script_can_be_saved_and_found_by_its_first_words(
    db, make
):
    # 20,000 characters (the form's limit) of distinct 40-letter Georgian words, 3 bytes a
    # letter: every start of every word would overflow a tsvector's 1 MB, so PostgreSQL
    # indexes the starts of the first 250 words.
    words = [
        "".join(chr(0x10D0 + (number // 30**place) % 30) for place in range(3)) + "ა" * 37
        for number in range(487)
    ]
    make.product("Long Tale Boot", description=" ".join(words)[:20000])
    assert found(words[0][:5]) == ["Long Tale Boot"]
    assert found(f"{words[1]} long") == ["Long Tale Boot"]


@pytest.fixture
def trail_range(db, make):
    """Fourteen products: ten on sale match "trail", one archived does, three do not."""
    prices = [4000, 2500, 2500, 9900, 3100, 4000, 7000, 1500, 2500, 6200]
    for number, price in enumerate(prices):
        make.product(f"Trail {chr(65 + number)} Shoe", price_cents=price)
    make.product("Trail Archived Shoe", price_cents=100, is_active=False)
    for name in ("Road Shoe", "Atrail Boot", "Town Shoe"):  # "trail" starts none of their words
        make.product(name, price_cents=3000)
    db.session.expire_all()
    return db.session.scalars(select(Product).where(Product.name.like("Trail % Shoe"))).all()


def _expected_order(products, sort):
    on_sale = [product for product in products if product.is_active]
    keys = {
        "newest": (lambda p: (p.created_at, p.id), True),
        "price_asc": (lambda p: (p.price_min_cents, p.id), False),
        "price_desc": (lambda p: (p.price_min_cents, p.id), True),
        "name": (lambda p: (p.name, p.id), False),
    }
    key, reverse = keys[sort]
    return [product.name for product in sorted(on_sale, key=key, reverse=reverse)]


@pytest.mark.parametrize("sort", list(SORTS))
def test_paging_through_a_common_word_lists_every_match_once_in_the_page_order(
    trail_range, monkeypatch, sort
):
    # A common word is one with IN_ORDER_FROM matches or more (1,000 in the shop): lower the
    # mark so that these ten take the common word's way through the listing.
    monkeypatch.setattr(queries, "IN_ORDER_FROM", 2)
    shown, page = [], 1
    while True:
        result = list_products(CatalogFilters(q="trail", sort=sort, page=page), per_page=3)
        assert result.total == 10 and result.pages == 4
        shown += [product.name for product in result.items]
        if not result.has_next:
            break
        page += 1
    assert shown == _expected_order(trail_range, sort)
