"""The product page: gallery, sizes, quantity, add-to-cart form, breadcrumb, safe data."""

import json
import re


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_product_page_shows_name_price_sku_breadcrumb_and_gallery(db, client, make):
    shelf = make.category("Running")
    shoe = make.product(
        "Swift Road",
        price_cents=8900,
        category=shelf,
        slug="swift-road",
        sizes={"42": 5},
        sku_prefix="SWR",
    )
    make.image(shoe, storage_key="b" * 32, alt_text="Side view")
    make.image(shoe, storage_key="c" * 32)
    html = _html(client, "/p/swift-road")
    assert "<h1>Swift Road</h1>" in html and "€89.00" in html
    assert "SWR-42" in html
    assert re.search(r'href="/">Home</a>.*href="/c/running">Running</a>.*Swift Road', html, re.S)
    assert f'data-gallery-main src="/media/{"b" * 32}-full.webp"' in html
    assert f'data-full="/media/{"c" * 32}-full.webp"' in html
    assert f'src="/media/{"c" * 32}-thumb.webp"' in html


def test_the_size_picker_disables_sold_out_sizes_and_bounds_the_quantity(db, client, make, app):
    app.config["CART_MAX_QUANTITY"] = 10
    shoe = make.product("Picker", slug="picker", sizes={"41": 0, "42": 3, "43": 50})
    sold_out, low, plenty = shoe.variants
    html = _html(client, "/p/picker")
    assert re.search(rf'id="variant-{sold_out.id}"[^>]*disabled', html)
    assert "(sold out)" in html
    assert re.search(rf'id="variant-{low.id}"[^>]*checked', html)
    assert re.search(rf'id="variant-{low.id}"[^>]*data-max-quantity="3"', html)
    assert re.search(rf'id="variant-{plenty.id}"[^>]*data-max-quantity="10"', html)
    assert 'name="quantity" value="1" min="1" max="10"' in html
    assert 'method="post" action="/cart/add"' in html
    assert ">Add to cart</button>" in html


def test_a_product_without_options_shows_no_size_picker(db, client, make):
    shoe = make.product("Plain", slug="plain", sizes={"": 2})
    html = _html(client, "/p/plain")
    assert f'type="hidden" name="variant_id" value="{shoe.variants[0].id}"' in html
    assert "btn-check" not in html
    assert 'min="1" max="2"' in html


def test_a_sold_out_product_is_shown_but_cannot_be_added(db, client, make):
    make.product("Gone", slug="gone", sizes={"42": 0, "43": 0})
    html = _html(client, "/p/gone")
    assert "Sold out" in html and "Add to cart" not in html


def test_archived_and_unknown_products_are_404(db, client, make):
    make.product("Old", slug="old", is_active=False)
    assert client.get("/p/old").status_code == 404
    assert client.get("/p/nothing-here").status_code == 404


def test_the_description_is_markdown_with_raw_html_escaped(db, client, make):
    make.product(
        "Marked",
        slug="marked",
        description="**Light** shoe.\n\n<script>alert(1)</script><img src=x onerror=y>",
    )
    html = _html(client, "/p/marked")
    assert "<strong>Light</strong>" in html
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_json_ld_describes_the_product_and_a_hostile_name_cannot_break_out(db, client, make):
    name = "</script><script>alert(1)</script>"
    make.product(name, slug="hostile", price_cents=4200, sizes={"42": 1})
    html = _html(client, "/p/hostile")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    data = json.loads(block)
    assert data["@type"] == "Product" and data["name"] == name
    assert data["offers"]["lowPrice"] == "42.00"
    assert "<script>alert(1)</script>" not in html


def test_related_products_come_from_the_same_category(db, client, make):
    shelf, other = make.category("Trail"), make.category("Boots")
    make.product("Main", slug="main", category=shelf)
    for number in range(5):
        make.product(f"Sibling {number}", category=shelf)
    make.product("Stranger", category=other)
    html = _html(client, "/p/main")
    related = html.split('id="related-heading"')[1]
    assert related.count("Sibling") >= 4 and len(re.findall(r"stretched-link", related)) == 4
    assert "Stranger" not in related and ">Main</a>" not in related


def test_the_product_page_needs_six_queries_however_many_sizes_images_and_relatives(
    db, client, make, count_queries
):
    shelf = make.category("Trail")
    make.product("Lone", slug="lone", category=shelf, sizes={"42": 1})
    make.product("Sibling", category=shelf)
    client.get("/p/lone")
    with count_queries() as few:
        client.get("/p/lone")
    main = make.product(
        "Busy", slug="busy", category=shelf, sizes={str(s): 2 for s in range(36, 48)}
    )
    for _ in range(5):
        make.image(main)
        make.image(make.product(category=shelf))
    client.get("/p/busy")
    with count_queries() as many:
        client.get("/p/busy")
    assert few.count == many.count <= 6
