"""Each shop page sends a fixed number of SQL queries, whether it shows 1 product or 24.

Every page named here must be a route of the shop and answer 200: a budget measured on a
redirect, an error page or a missing route would prove nothing, so those fail the test.
"""

from __future__ import annotations

import pytest

from storefront.web.page_store import bump_catalog_version

pytestmark = pytest.mark.all_databases

# The most queries a page may send on its first (uncached) view, with any number of products.
BUDGETS = {
    "home": ("/", 3),
    "product list": ("/products", 4),
    "search": ("/search?q=shoe", 4),
    "category": ("/c/{category}", 4),
    "product": ("/p/{product}", 6),
    "cart": ("/cart", 3),  # the third keeps the navbar's cart count cookie current
    "checkout": ("/checkout", 3),
}
SIGNED_IN_PAGES = {"cart", "checkout"}
# A product page shows its *other* products: with one product in the shop it shows none, and
# SQLAlchemy skips the eager loads of an empty list. Two products make "a few" shown there.
FIRST_COUNT = {"product": 2}


def _route_exists(app, path: str) -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?")[0], method="GET")
    except Exception:  # noqa: BLE001 - NotFound, MethodNotAllowed, RequestRedirect
        return False
    return True


def _stock_the_shop(make, category, count: int) -> list:
    products = []
    for _ in range(count):
        product = make.product(
            name=f"Shoe {len(products)}", category=category, sizes={"41": 5, "42": 5, "43": 5}
        )
        make.image(product)
        products.append(product)
    return products


def _fill_cart(db, user, products) -> None:
    from storefront.cart.models import Cart, CartLine

    cart = db.session.query(Cart).filter_by(user_id=user.id).one_or_none()
    if cart is None:
        cart = Cart(user_id=user.id)
        db.session.add(cart)
    present = {line.variant_id for line in cart.lines}
    for product in products:
        variant = product.variants[0]
        if variant.id not in present:
            cart.lines.append(
                CartLine(variant_id=variant.id, quantity=1, unit_price_cents_seen=5000)
            )
    db.session.commit()


def _queries_for(app, client, count_queries, path: str) -> tuple[int, int]:
    client.get(path)  # warm the shared lookups (navbar categories), as in a running shop
    with app.app_context():
        bump_catalog_version()  # but measure the page itself uncached
    with count_queries() as counter:
        response = client.get(path)
    return counter.count, response.status_code


@pytest.mark.parametrize("page", list(BUDGETS))
def test_a_page_sends_the_same_few_queries_for_1_or_24_products(
    app, db, make, login_as, count_queries, page
):
    template, budget = BUDGETS[page]
    category = make.category("Running")
    first_count = FIRST_COUNT.get(page, 1)
    first = _stock_the_shop(make, category, first_count)
    path = template.format(category=category.slug, product=first[0].slug)
    assert _route_exists(app, path), f"{path} is not a route of the shop"
    client = app.test_client()
    user = None
    if page in SIGNED_IN_PAGES:
        user = make.user()
        login_as(client, user)
        _fill_cart(db, user, first)

    with_one, status = _queries_for(app, client, count_queries, path)
    more = _stock_the_shop(make, category, 24 - first_count)
    if user is not None:
        _fill_cart(db, user, more)
    with_many, status_many = _queries_for(app, client, count_queries, path)

    assert status == 200, f"{path} answered {status} with {first_count} product(s)"
    assert status_many == 200, f"{path} answered {status_many} with 24 products"
    assert with_many == with_one, (
        f"{path}: {with_one} queries for {first_count} product(s), {with_many} for 24"
    )
    assert with_one <= budget, f"{path} sends {with_one} queries; its budget is {budget}"
