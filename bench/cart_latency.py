"""One signed-in customer's add to cart + cart page, in process: milliseconds per pair.

What a single client waits, without a server or load generator in between: the shop's WSGI
app is called with a signed-in buyer's cookie, a POST to /cart/add then a GET of /cart,
`--count` times, after a warm-up; the cart is emptied every 8th add, as in `make bench`.
Run it against the benchmark database (DATABASE_URL as for `make bench`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import flows  # noqa: E402


def main() -> None:
    """Time add-to-cart + cart-page pairs for one signed-in buyer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    os.environ.setdefault("RATELIMIT_ENABLED", "false")
    setup = flows.prepare_buyers(os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32), 1)
    from storefront import create_app

    app = create_app()
    client = app.test_client()
    client.set_cookie(setup["cookie_name"], setup["buyers"][0]["cookie"])
    variants = setup["cart_variants"]
    rounds = []
    for round_number in range(arguments.rounds + 1):
        started = time.perf_counter()
        for number in range(arguments.count):
            if number % 8 == 7:
                client.post("/cart/empty")
                continue
            variant = variants[(number + round_number) % len(variants)]
            added = client.post("/cart/add", data={"variant_id": variant, "quantity": 1})
            assert added.status_code == 302, added.status_code
            assert client.get("/cart").status_code == 200
        pairs = arguments.count - arguments.count // 8
        if round_number:  # the first round warms up
            rounds.append((time.perf_counter() - started) * 1000 / pairs)
    print(f"add to cart + cart page, one client: {statistics.median(rounds):.1f} ms per pair")
    print("rounds: " + ", ".join(f"{value:.1f}" for value in rounds))


if __name__ == "__main__":
    main()
