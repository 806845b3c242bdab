"""Home, product lists and category pages: cards, sort, filters, pages and the query budget."""

import re
from datetime import timedelta

from storefront.models_base import utcnow


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _names(html):
    return re.findall(r'class="stretched-link[^"]*" href="[^"]+">([^<]+)</a>', html)


def _aged(db, *products):
    """Give products distinct creation times, first oldest, so 'newest' order is certain."""
    start = utcnow() - timedelta(days=len(products))
    for age, product in enumerate(products):
        product.created_at = start + timedelta(hours=age)
    db.session.commit()


def test_home_shows_a_welcome_the_category_tiles_and_the_newest_products(db, client, make):
    shelf = make.category("Running")
    old, new = make.product("Old Runner", category=shelf), make.product("New Runner")
    _aged(db, old, new)
    html = _page(client, "/")
    assert "Welcome to" in html
    assert 'href="/c/running"' in html and "category-tile" in html
    assert _names(html) == ["New Runner", "Old Runner"]


def test_an_empty_shop_says_so_instead_of_showing_an_empty_grid(db, client):
    assert "No products yet" in _page(client, "/")
    assert "No products here yet" in _page(client, "/products")


def test_a_card_shows_thumbnail_price_from_and_stock_badge(db, client, make):
    shoe = make.product(
        "Tempo", price_cents=5000, sizes={"42": 2, "43": 0}, price_overrides={"43": 6500}
    )
    make.image(shoe, storage_key="a" * 32, alt_text="Red tempo shoe")
    html = _page(client, "/products")
    assert f'src="/media/{"a" * 32}-thumb.webp"' in html
    assert 'width="480" height="360" loading="lazy" alt="Red tempo shoe"' in html
    assert "from</span> €50.00" in html
    assert "Only 2 left" in html
    assert "card h-100" in html


def test_a_card_offers_only_sizes_in_stock_and_a_sold_out_card_no_button(db, client, make):
    make.product("Mixed", sizes={"41": 0, "42": 5})
    make.product("Gone", sizes={"42": 0})
    html = _page(client, "/products")
    assert "Size 42" in html and "Size 41" not in html
    assert html.count('aria-label="Add Mixed to cart"') == 1
    assert 'aria-label="Add Gone to cart"' not in html
    assert "Sold out" in html
    assert 'action="/cart/add"' in html


def test_archived_products_are_never_listed_nor_found(db, client, make):
    make.product("Hidden Boot", is_active=False)
    make.product("Shown Boot")
    for url in ("/", "/products", "/search?q=boot"):
        html = _page(client, url)
        assert "Shown Boot" in html and "Hidden Boot" not in html


def test_a_category_page_lists_only_its_products_and_unknown_ones_are_404(db, client, make):
    trail, town = make.category("Trail"), make.category("Town")
    make.product("Grip", category=trail)
    make.product("Loafer", category=town)
    assert _names(_page(client, "/c/trail")) == ["Grip"]
    assert client.get("/c/no-such-shelf").status_code == 404


def test_sorts_order_by_price_name_and_newest(db, client, make):
    b = make.product("Bravo", price_cents=3000)
    a = make.product("Alpha", price_cents=9000)
    c = make.product("Charlie", price_cents=1000)
    _aged(db, b, a, c)
    assert _names(_page(client, "/products?sort=price_asc")) == ["Charlie", "Bravo", "Alpha"]
    assert _names(_page(client, "/products?sort=price_desc")) == ["Alpha", "Bravo", "Charlie"]
    assert _names(_page(client, "/products?sort=name")) == ["Alpha", "Bravo", "Charlie"]
    assert _names(_page(client, "/products")) == ["Charlie", "Alpha", "Bravo"]


def test_filters_combine_category_price_stock_and_size(db, client, make):
    shelf, other = make.category("Running"), make.category("Boots")
    make.product("Cheap", price_cents=2000, category=shelf, sizes={"42": 3})
    make.product("Dear", price_cents=20000, category=shelf, sizes={"42": 3})
    make.product("Empty", price_cents=3000, category=shelf, sizes={"42": 0, "43": 4})
    make.product("Elsewhere", price_cents=3000, category=other, sizes={"42": 3})
    url = "/products?category=running&min=10&max=100&size=42"
    assert sorted(_names(_page(client, url))) == ["Cheap", "Empty"]
    assert _names(_page(client, url + "&in_stock=1")) == ["Cheap"]
    assert sorted(_names(_page(client, "/c/running?max=40"))) == ["Cheap", "Empty"]


def test_pages_hold_24_products_link_prev_and_next_and_keep_the_filters(db, client, make):
    for number in range(50):
        make.product(f"Shoe {number:02d}", price_cents=1000 + number)
    html = _page(client, "/products?sort=name&page=2&max=999")
    assert len(_names(html)) == 24
    assert _names(html)[0] == "Shoe 24"
    assert '<link rel="prev" href="/products?max=999&amp;sort=name">' in html
    assert '<link rel="next" href="/products?max=999&amp;sort=name&amp;page=3">' in html
    assert 'rel="next" href="/products?max=999&amp;sort=name&amp;page=3">Next</a>' in html
    assert 'aria-current="page"><span class="page-link">2</span>' in html
    last = _page(client, "/products?sort=name&page=3&max=999")
    assert _names(last) == ["Shoe 48", "Shoe 49"]
    assert 'rel="next"' not in last


def test_a_page_past_the_end_shows_the_last_page(db, client, make):
    for _ in range(25):
        make.product()
    html = _page(client, "/products?page=999999")
    assert len(_names(html)) == 1
    assert 'aria-current="page"><span class="page-link">2</span>' in html


def test_every_catalogue_page_has_its_own_title_and_description(db, client, make):
    shelf = make.category("Trail")
    shelf.description = "Grip for rough ground."
    db.session.commit()
    make.product("Ridge", category=shelf, slug="ridge")
    titles = {
        "/": "<title>Storefront Shoes</title>",
        "/products": "<title>All products · Storefront Shoes</title>",
        "/c/trail": "<title>Trail · Storefront Shoes</title>",
        "/search?q=ridge": "<title>Search results for “ridge” · Storefront Shoes</title>",
        "/p/ridge": "<title>Ridge · Storefront Shoes</title>",
    }
    for url, title in titles.items():
        html = _page(client, url)
        assert title in html, url
        assert '<meta name="description" content="' in html
    assert 'content="Grip for rough ground."' in _page(client, "/c/trail")


def _measure(client, count_queries, url):
    client.get(url)  # warm the cached navbar categories and size list
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_list_and_search_pages_use_the_same_few_queries_for_1_or_24_products(
    db, client, make, count_queries
):
    shelf = make.category("Running")
    first = make.product("Runner 0", category=shelf, sizes={"41": 1, "42": 2})
    make.image(first)
    urls = ["/products", "/search?q=runner", "/c/running?in_stock=1", "/"]
    with_one = {url: _measure(client, count_queries, url) for url in urls}
    for number in range(1, 30):
        make.image(make.product(f"Runner {number}", category=shelf, sizes={"41": 1, "42": 2}))
    with_many = {url: _measure(client, count_queries, url) for url in urls}
    assert with_one == with_many
    assert max(with_many.values()) <= 4, with_many


def _count_label(html):
    return re.search(r'data-result-count="([^"]+)">\s*([^<]+?)\s*</p>', html).groups()


def test_a_listing_longer_than_it_counts_says_more_than_and_pages_on_with_next(
    db, client, make, monkeypatch
):
    from storefront.catalog import queries

    monkeypatch.setattr(queries, "COUNT_UP_TO", 30)
    for number in range(60):
        make.product(f"Shoe {number:02d}")
    first = _page(client, "/products?sort=name")
    assert _count_label(first) == ("30+", "More than 30 products")
    assert 'rel="next" href="/products?sort=name&amp;page=2">Next</a>' in first
    assert 'aria-label="Page 3"' not in first  # not counted, so not linked
    shown, page, html = [], 1, first
    while True:
        shown += _names(html)
        if 'rel="next"' not in html:
            break
        page += 1
        html = _page(client, f"/products?sort=name&page={page}")
    assert shown == [f"Shoe {number:02d}" for number in range(60)]
    assert page == 3 and _count_label(html)[0] == "30+"
    past = _page(client, "/products?sort=name&page=999")
    assert _names(past) == [f"Shoe {number:02d}" for number in range(48, 60)]
    assert _count_label(past) == ("60", "60 products")
    assert 'aria-current="page"><span class="page-link">3</span>' in past


def test_a_search_counts_only_products_on_sale_up_to_the_count_limit(db, client, make, monkeypatch):
    from storefront.catalog import queries

    for number in range(40):
        make.product(f"Runner {number:02d}")
    for number in range(5):
        make.product(f"Archived Runner {number}", is_active=False)
    assert _count_label(_page(client, "/search?q=runner")) == ("40", "40 products found")
    monkeypatch.setattr(queries, "COUNT_UP_TO", 39)
    html = _page(client, "/search?q=runner&sort=name")  # another page: not the cached one
    assert _count_label(html) == ("39+", "More than 39 products found")
    assert len(_names(html)) == 24 and "Archived" not in html
    monkeypatch.setattr(queries, "COUNT_UP_TO", 40)
    assert _count_label(_page(client, "/search?q=runner&page=2")) == ("40", "40 products found")
