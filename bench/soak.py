"""Mixed soak run: the memory of each worker after minutes of mixed traffic.

Run: `.venv/bin/python bench/soak.py --seconds 600` (DATABASE_URL and REDIS_URL as for make bench).

Serves the shop from DATABASE_URL like `make bench` (gunicorn.conf.py, production mode) and, for
the whole duration and all at once, loads it with: guests browsing (home, list pages 1-400, the
50 categories, searches for a dozen words, many different product pages; wrk, 32 connections),
signed-in buyers adding to the cart and looking at it (wrk, 16 connections) and 4 buyers placing
orders. Worker recycling (`max_requests`) is switched off unless --keep-recycling is given, so
the figure is the memory of workers that served the whole run. Prints the resident memory of
each worker every 30 s and at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import flows  # noqa: E402
import servers  # noqa: E402
from run import parse_wrk, require_wrk  # noqa: E402

WORDS = ["runner", "aurora", "boot", "blue", "swift", "trail", "summit", "navy", "hiker"]
WORDS += ["classic", "kids", "sand"]
ORDER_BUYERS = 4


def browse_script(paths: list[str]) -> Path:
    """Write a wrk script that requests the guest pages in a shuffled cycle."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    text = f"""
local paths = {{{quoted}}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[((n * 7919) % #paths) + 1])
end
"""
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    with handle:
        handle.write(text)
    return Path(handle.name)


def guest_paths() -> list[str]:
    """Return the guest pages of the mix: many different ones, so caches fill as in real use."""
    from sqlalchemy import select

    from storefront import create_app
    from storefront.catalog.models import Category, Product
    from storefront.extensions import db

    with create_app().app_context():
        categories = db.session.scalars(select(Category.slug)).all()
        products = db.session.scalars(select(Product.slug).order_by(Product.id).limit(2000)).all()
        db.engine.dispose()
    paths = ["/"] * 20 + [f"/products?page={page}" for page in range(1, 401)]
    paths += [f"/c/{slug}" for slug in categories]
    paths += [f"/search?q={word}" for word in WORDS]
    paths += [f"/search?q={word}&page={page}" for word in WORDS for page in range(2, 6)]
    paths += [f"/p/{slug}" for slug in products]
    return paths


def main() -> None:
    """Serve the shop, load it with the mix for the given time and report worker memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--keep-recycling", action="store_true", help="keep max_requests")
    arguments = parser.parse_args()
    wrk = require_wrk()
    env = {"STOREFRONT_ENV": "production", "RATELIMIT_ENABLED": "false"}
    env["SHOP_URL"] = "http://127.0.0.1"  # served on loopback ports
    env["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32)
    if not arguments.keep_recycling:
        env["GUNICORN_MAX_REQUESTS"] = "0"
        env["GRANIAN_WORKERS_MAX_RSS"] = "100000"  # never replace a worker: show its growth
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(servers.ROOT / "instance" / "bench-soak.log", "w")
    shop = servers.start_server(
        "storefront.wsgi:app", port, env, os.environ.get("SERVER", "granian"), log
    )
    results: dict = {}
    try:
        servers.wait_until_up(base + "/healthz", shop)
        print(f"start: workers {[f'{size:.0f} MB' for size in servers.worker_rss_mb(shop)]}")
        # Cart buyers and order buyers are different people: one buyer's cart changing under
        # their own checkout would make the checkout ask them to review it.
        setup = flows.prepare_buyers(env["SECRET_KEY"], count=flows.BUYERS + ORDER_BUYERS)
        carts = setup | {"buyers": setup["buyers"][: flows.BUYERS]}
        browse, cart = browse_script(guest_paths()), flows.cart_script(carts)
        seconds = arguments.seconds
        # The same 10 s timeout as `make bench`: wrk's own default (2 s) counts a slow answer
        # as an error.
        common = [wrk, "--latency", "--timeout", "10s", f"-d{seconds}s", "-s"]
        loads = {
            "guests browsing": common + [str(browse), "-t1", "-c32", base + "/"],
            "add to cart + cart": common + [str(cart), "-t2", "-c16", base + "/"],
        }
        running = {
            name: subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            for name, command in loads.items()
        }
        orders = setup | {"buyers": setup["buyers"][flows.BUYERS :]}
        ordering = threading.Thread(
            target=lambda: results.update(
                order=flows.order_load(base, orders, seconds, ORDER_BUYERS)
            )
        )
        ordering.start()
        started = time.monotonic()
        while time.monotonic() - started < seconds - 1:
            time.sleep(min(30, max(0.5, seconds - 1 - (time.monotonic() - started))))
            sizes = ", ".join(f"{size:.0f} MB" for size in servers.worker_rss_mb(shop))
            print(f"{time.monotonic() - started:5.0f} s: workers {sizes}", flush=True)
        for name, process in running.items():
            results[name] = parse_wrk(process.communicate()[0])
        ordering.join()
        rss = servers.worker_rss_mb(shop)
    finally:
        servers.stop_server(shop)
        log.close()
    for name, figures in results.items():
        print(
            f"{name}: {figures['rps']:.0f}/s, p50 {figures['p50']:.1f} ms, "
            f"p99 {figures['p99']:.1f} ms, {figures['errors']} errors"
            + (f" {figures['error_kinds']}" if figures.get("error_kinds") else "")
        )
    recycling = "on" if arguments.keep_recycling else "off"
    print(
        f"after {arguments.seconds} s of mixed load (max_requests {recycling}): resident memory "
        f"per worker {', '.join(f'{size:.0f} MB' for size in rss)}"
    )


if __name__ == "__main__":
    main()
