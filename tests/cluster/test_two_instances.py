"""Two instances (Granian and gunicorn) on one PostgreSQL and one Redis behave as one shop."""

from __future__ import annotations

from .conftest import BUYERS, UNITS
from .harness import PASSWORD, Browser, buy_across, log_in, stock_and_orders


def test_a_session_started_on_one_instance_keeps_login_and_cart_on_the_other(cluster, fresh_limits):
    instances, records = cluster
    a, b = instances.urls
    browser = Browser()
    assert log_in(browser, a, records["email"], PASSWORD) == 302
    status, _account_page, _ = browser.request(b + "/account")
    assert status == 200, "the login made on A is not known on B"

    added = browser.request(a + "/cart/add", {"variant_id": records["variant_id"], "quantity": 1})
    assert added[0] == 302
    status, cart_page, _ = browser.request(b + "/cart")
    assert status == 200 and "Cluster Runner" in cart_page


def test_failed_logins_are_counted_across_both_instances(cluster, fresh_limits):
    a, b = cluster[0].urls
    browser = Browser()
    statuses = [log_in(browser, (a, b)[n % 2], "nobody@example.com", "wrong") for n in range(11)]
    assert 429 not in statuses[:10]
    assert statuses[10] == 429


def test_buyers_split_across_both_instances_take_exactly_the_stock(cluster, cluster_database):
    instances, records = cluster
    a, b = instances.urls
    outcomes = buy_across((a, b), records, BUYERS)
    assert outcomes.count("ordered") == UNITS, outcomes
    stock, orders = stock_and_orders(cluster_database, records["variant_id"])
    assert (stock, orders) == (0, UNITS)
