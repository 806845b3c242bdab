"""`make bench-cluster`: two instances on one PostgreSQL and one Redis behave as one shop.

Starts two instances (Granian and gunicorn through serve.py, 2 workers each) on a fresh
database on the PostgreSQL server of TEST_POSTGRES_URL and on TEST_REDIS_URL, then shows: a
login and a cart made on A are there on B; failed logins count across both; 100 buyers split
across both for 10 units give exactly 10 orders; and how many orders a second both place
together.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import redis  # noqa: E402

from tests.cluster import harness  # noqa: E402


def main() -> None:
    """Run the proofs and print what each showed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=100)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10, help="order-throughput run")
    arguments = parser.parse_args()
    server = os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_perf"
    )
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    database = harness.fresh_database(server)
    redis.Redis.from_url(redis_url).flushdb()
    env = harness.shop_env(database, redis_url, harness.new_secret())
    harness.migrate(env)
    records = harness.seed_shop(env, buyers=arguments.buyers, units=arguments.units)
    cluster = harness.Cluster(env, count=2).start()
    a, b = cluster.urls
    try:
        browser = harness.Browser()
        status = harness.log_in(browser, a, records["email"], harness.PASSWORD)
        print(f"login on A: {status}; account page on B: {browser.request(b + '/account')[0]}")
        redis.Redis.from_url(redis_url).flushdb()
        statuses = [
            harness.log_in(harness.Browser(), (a, b)[n % 2], "x@example.com", "bad")
            for n in range(11)
        ]
        print(f"11 failed logins alternating A/B: {statuses}")
        started = time.perf_counter()
        outcomes = harness.buy_across((a, b), records, arguments.buyers)
        elapsed = time.perf_counter() - started
        stock, orders = harness.stock_and_orders(database, records["variant_id"])
        print(
            f"{arguments.buyers} buyers for {arguments.units} units: {outcomes.count('ordered')} "
            f"ordered, {orders} orders in the database, stock left {stock} ({elapsed:.1f} s)"
        )
        print(
            f"order throughput, both instances: {throughput(cluster, env, arguments):.0f} orders/s"
        )
    finally:
        cluster.stop()


def throughput(cluster, env: dict, arguments) -> float:
    """Return orders per second placed through both instances together."""
    import flows

    os.environ.update(env)
    setup = flows.prepare_buyers(env["SECRET_KEY"], count=16)
    results = []

    def run(base: str, buyers: list) -> None:
        results.append(flows.order_load(base, {**setup, "buyers": buyers}, arguments.seconds, 8))

    threads = [
        threading.Thread(target=run, args=(url, setup["buyers"][i::2]))
        for i, url in enumerate(cluster.urls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for url, figures in zip(cluster.urls, results, strict=True):
        print(
            f"  {url}: {figures['rps']:.0f} orders/s, p50 {figures['p50']:.0f} ms, "
            f"p99 {figures['p99']:.0f} ms, {figures['errors']} errors"
        )
    return sum(figures["rps"] for figures in results)


if __name__ == "__main__":
    main()
