"""Inventory's stock rules: sold out, low on stock, the cart limit and what a guest can see."""

import pytest

from storefront.inventory.levels import (
    badge_for,
    cart_limit,
    guest_would_see,
    is_low_on_stock,
    is_sold_out,
)


def test_low_on_stock_means_some_left_but_no_more_than_the_threshold():
    assert [is_low_on_stock(stock, 3) for stock in (0, 1, 3, 4)] == [False, True, True, False]
    assert is_sold_out(0) and not is_sold_out(1)


def test_the_cart_limit_is_the_stock_up_to_the_cart_maximum_and_never_below_one():
    assert [cart_limit(stock, 10) for stock in (0, 4, 10, 500)] == [1, 4, 10, 10]


def test_the_badge_counts_down_only_at_or_below_the_threshold():
    assert [badge_for(total, 3).label for total in (0, 2, 3, 4)] == [
        "Sold out",
        "Only 2 left",
        "Only 3 left",
        "In stock",
    ]


@pytest.mark.parametrize(
    ("before", "after", "threshold", "seen"),
    [
        (500, 499, 3, False),  # far above every limit: nothing on a page moves
        (1, 0, 3, True),  # sold out
        (0, 4, 3, True),  # back in stock
        (4, 3, 3, True),  # the badge starts counting down
        (5, 4, 3, True),  # the product page offers at most 4 now
        (150, 120, 3, False),  # both above the cart maximum
        (150, 120, None, True),  # threshold unknown: assume a guest could see it
    ],
)
def test_a_guest_sees_a_stock_change_only_where_a_page_shows_it(
    app, before, after, threshold, seen
):
    app.config["CART_MAX_QUANTITY"] = 99
    with app.app_context():
        assert guest_would_see(before, after, threshold) is seen


def test_a_change_across_the_cart_maximum_changes_the_quantity_limit(app):
    app.config["CART_MAX_QUANTITY"] = 10
    with app.app_context():
        assert guest_would_see(11, 9, 3) is True
        assert guest_would_see(12, 11, 3) is False
