"""`make bench`: load the shop and bench/hello.py with wrk, same server settings, same run.

Serves the shop from DATABASE_URL (fill it first with `make bench-data`) the way `make serve`
does (serve.py: Granian, or gunicorn with --server gunicorn) in production mode, and
bench/hello.py with the same settings; loads each page from a separate wrk process (64
connections, loopback only, a fixed duration), each run right after a run of the hello app, and
prints requests/s, p50, p99, errors and the ratio to hello (medians of --repeat runs). The
table goes into docs/benchmarks.md between the markers for this database and server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import flows  # noqa: E402
import servers  # noqa: E402

PAGES = [
    ("home", "/"),
    ("product list, page 1", "/products"),
    ("product list, page 200", "/products?page=200"),
    ("category page", "/c/{category}"),
    ("search, common word", "/search?q=runner"),
    ("search, rare word", "/search?q=aurora"),
    ("product page", "/p/{product}"),
]
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}
NOT_MERGED = "not measured: feature not yet merged"
ORDER_THREADS = 16  # buyers placing orders, one wrk thread and connection each
SINGLE_REQUESTS = 20  # sequential uncached requests per page for the single-request latency
# What Chrome sends: pages (and the hello app) are loaded as a browser loads them. The signed-in
# flows' Lua scripts set their own headers, without it (the order flow reads the review page).
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def require_wrk() -> str:
    """Return wrk's path, or exit explaining how to install it."""
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("make bench needs wrk: install it with `apt-get install -y wrk`.")
    return path


def sample_slugs() -> dict:
    """Return a category slug and a product slug from the benchmark database."""
    from sqlalchemy import func, select

    from storefront import create_app
    from storefront.catalog.models import Category, Product
    from storefront.extensions import db

    with create_app().app_context():
        count = db.session.scalar(select(func.count(Product.id)))
        category = db.session.scalar(
            select(Category.slug).join(Product).group_by(Category.slug).limit(1)
        )
        product = db.session.scalar(select(Product.slug).order_by(Product.id).offset(count // 2))
        backend = db.engine.dialect.name
        db.engine.dispose()
    if not count:
        raise SystemExit("The database has no products: run `make bench-data N=100000` first.")
    return {"category": category, "product": product, "count": count, "backend": backend}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> dict:
    """Return rps, p50, p99 (ms) and the error count from wrk --latency output."""
    kinds = {kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", output)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        kinds["non-2xx/3xx"] = int(non_2xx.group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": sum(kinds.values()),
        "error_kinds": {kind: n for kind, n in kinds.items() if n},
    }


def run_wrk(wrk: str, url: str, seconds: int, connections: int, script=None) -> dict:
    """Load `url` with wrk from its own process and return the parsed figures."""
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if ACCEPT_ENCODING:
        command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def single_request_ms(url: str, count: int = SINGLE_REQUESTS) -> float:
    """Return the p50 (ms) of `count` sequential requests that the page cache cannot answer.

    Each request carries an extra, never-repeated query parameter, so the page cache misses
    and the page is rendered from the database: what one visitor waits on an idle server.
    """
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    path = parts.path + ("?" + parts.query + "&" if parts.query else "?")
    times = []
    try:
        for number in range(count + 1):
            started = time.perf_counter()
            connection.request(
                "GET",
                f"{path}uncached={time.time_ns()}-{number}",
                headers={"Accept-Encoding": ACCEPT_ENCODING} if ACCEPT_ENCODING else {},
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: status {response.status} for an uncached request")
            times.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return statistics.median(times[1:])  # the first opens the connection


def is_served(url: str) -> bool:
    """Return True when `url` answers 200 itself (no redirect, no 404)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status == 200 and response.url == url
    except OSError:
        return False


def machine() -> str:
    """Describe the machine: cores, memory, CPU model, OS and Python."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def median_of(runs: list[tuple[dict, dict]]) -> dict:
    """Return the median page run of (hello, page) pairs, with the median ratio and errors."""
    ordered = sorted(runs, key=lambda pair: pair[1]["rps"])
    hello_run, page_run = ordered[len(ordered) // 2]
    ratios = [page["rps"] / hello["rps"] for hello, page in runs if hello["rps"]]
    return {
        **page_run,
        "errors": sum(page["errors"] for _hello, page in runs),
        "ratio": statistics.median(ratios) if ratios else 0.0,
        "hello_rps": statistics.median(hello["rps"] for hello, _page in runs),
        "all_rps": [page["rps"] for _hello, page in runs],
    }


def table(rows: list[dict]) -> str:
    """Return the results as a Markdown table."""
    lines = [
        "| page | requests/s (median) | runs | p50 ms | p99 ms | errors | hello requests/s "
        "| ratio to hello (median) | single uncached request, p50 ms |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if "rps" not in row:
            lines.append(f"| {row['name']} | {row['note']} | | | | | | | |")
            continue
        single = f"{row['single']:.1f}" if "single" in row else ""
        runs = " / ".join(f"{rps:.0f}" for rps in row["all_rps"])
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {runs} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['errors']} | {row['hello_rps']:.0f} | {row['ratio']:.2f} | {single} |"
        )
    return "\n".join(lines)


def write_docs(backend: str, report: str) -> None:
    """Replace this database's section of docs/benchmarks.md with `report`."""
    path = servers.ROOT / "docs" / "benchmarks.md"
    start, end = f"<!-- bench:{backend}:start -->", f"<!-- bench:{backend}:end -->"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = f"{start}\n{report}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    """Serve both apps, load every page, print the table and write it to the docs."""
    global ACCEPT_ENCODING
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="load time per page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--server", choices=["granian", "gunicorn"], default=os.environ.get("SERVER", "granian")
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="unmeasured load before each page (s)"
    )
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument(
        "--encoding",
        choices=["browser", "none"],
        default="browser",
        help=f"send a browser's Accept-Encoding ({ACCEPT_ENCODING}) or none at all",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="measured runs per page, each right after a run of the hello app (medians kept)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="measure only the rows whose name contains this (implies --no-docs)",
    )
    arguments = parser.parse_args()
    if arguments.encoding == "none":
        ACCEPT_ENCODING = ""
    wrk = require_wrk()
    sample = sample_slugs()
    env = {"STOREFRONT_ENV": "production", "RATELIMIT_ENABLED": "false"}
    env["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32)
    shop_port, hello_port = servers.free_port(), servers.free_port()
    env["SHOP_URL"] = f"http://127.0.0.1:{shop_port}"
    (servers.ROOT / "instance").mkdir(exist_ok=True)
    log = open(servers.ROOT / "instance" / "bench-server.log", "w")
    shop = servers.start_server("storefront.wsgi:app", shop_port, env, arguments.server, log)
    hello = servers.start_server("hello:app", hello_port, env, arguments.server, log)
    rows, rss = [], []
    try:
        servers.wait_until_up(f"http://127.0.0.1:{shop_port}/healthz", shop)
        servers.wait_until_up(f"http://127.0.0.1:{hello_port}/", hello)
        load = (wrk, arguments.seconds, arguments.connections)
        hello_url = f"http://127.0.0.1:{hello_port}/"
        if arguments.warmup:
            run_wrk(wrk, hello_url, arguments.warmup, arguments.connections)

        def paired(measure_page) -> dict:
            """Measure hello, then the page, `repeat` times; keep the median of each."""
            runs = []
            for _ in range(arguments.repeat):
                hello_run = run_wrk(wrk, hello_url, *load[1:])
                runs.append((hello_run, measure_page()))
            return median_of(runs)

        rows.append(
            {"name": "hello app (ceiling)", **paired(lambda: run_wrk(wrk, hello_url, *load[1:]))}
        )
        rows[-1]["ratio"] = 1.0
        print(table(rows[-1:]).splitlines()[-1], flush=True)
        for name, path in PAGES:
            if arguments.only not in name:
                continue
            url = f"http://127.0.0.1:{shop_port}" + path.format(**sample)
            if not is_served(url):
                rows.append({"name": name, "note": NOT_MERGED})
                continue
            single = single_request_ms(url)
            if arguments.warmup:  # fill every worker's page cache before the measured run
                run_wrk(wrk, url, arguments.warmup, arguments.connections)
            rows.append({"name": name, **paired(lambda url=url: run_wrk(wrk, url, *load[1:]))})
            rows[-1]["single"] = single
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        base = f"http://127.0.0.1:{shop_port}"
        routes = flows.shop_routes()
        # Separate buyers for the two flows, all set up (empty carts) before any load, so an
        # order holds only what the order flow put in the cart.
        setup = flows.prepare_buyers(env["SECRET_KEY"], count=flows.BUYERS + ORDER_THREADS)
        cart_buyers, order_buyers = setup["buyers"][: flows.BUYERS], setup["buyers"][flows.BUYERS :]
        for name, flow in flows.FLOWS:
            if arguments.only not in name:
                continue
            if not flows.NEEDED_ROUTES[flow] <= routes:
                rows.append({"name": name, "note": NOT_MERGED})
                continue
            if flow == "cart":
                script = flows.cart_script(setup | {"buyers": cart_buyers})
                figures = paired(
                    lambda script=script: run_wrk(wrk, base + "/", *load[1:], script=script)
                )
            else:
                orders = setup | {"buyers": order_buyers}
                one = flow == "order-one-product"
                shoes = [setup["order_variant"]] if one else setup["order_variants"]
                figures = paired(
                    lambda orders=orders, shoes=shoes: flows.order_wrk(
                        wrk, base, orders, arguments.seconds, shoes
                    )
                )
            rows.append({"name": name, **figures})
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        rss = servers.worker_rss_mb(shop)
    finally:
        servers.stop_server(shop)
        servers.stop_server(hello)
        log.close()
    processes = os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 1))
    default_threads = "2" if arguments.server == "gunicorn" else "4"
    threads = os.environ.get("WEB_THREADS", os.environ.get("GUNICORN_THREADS", default_threads))
    if arguments.server == "gunicorn":
        server = f"gunicorn ({os.environ.get('GUNICORN_WORKER_CLASS', 'gthread')} workers)"
    else:
        server = "Granian"
    command = "make bench" + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
    report = "\n".join(
        [
            f"### {sample['backend']}, {sample['count']:,} products, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"- Machine: {machine()}",
            f"- Server: {server} through serve.py (as `make serve`), "
            f"{processes} processes x {threads} threads, "
            f"cache and rate limits in {'Redis' if os.environ.get('REDIS_URL') else 'memory'}, "
            f"{arguments.connections} connections, {arguments.seconds} s per page, "
            "wrk with 2 threads on the same machine",
            f"- Command: `{command}`",
            f"- Each page: {SINGLE_REQUESTS} sequential uncached requests first (an extra query "
            "parameter defeats the page cache; last column), then "
            f"{arguments.warmup} s of unmeasured load, then {arguments.repeat} measured runs, "
            "each right after a run of the hello app; the row shows the median run, the "
            "median of the paired ratios and the errors of all runs; pages and hello are "
            + (
                f"requested with a browser's `Accept-Encoding: {ACCEPT_ENCODING}`"
                if ACCEPT_ENCODING
                else "requested with no `Accept-Encoding` (uncompressed)"
            ),
            f"- Resident memory per shop worker at the end: "
            f"{', '.join(f'{size:.0f} MB' for size in rss) or 'not read'}",
            "",
            table(rows),
        ]
    )
    print(report)
    if not arguments.no_docs and not arguments.only:
        write_docs(f"{sample['backend']}:{arguments.server}:{arguments.encoding}", report)


if __name__ == "__main__":
    main()
