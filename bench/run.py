"""`make bench`: load the shop and bench/hello.py with wrk, same server settings, same run.

Serves the shop from DATABASE_URL (fill it first with `make bench-data`) with gunicorn and
gunicorn.conf.py in production mode, and bench/hello.py with the same settings; loads each page
from a separate wrk process (64 connections, loopback only, a fixed duration) and prints
requests/s, p50, p99, errors and the ratio to hello. The table goes into docs/benchmarks.md
between the markers for this database.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
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
ORDER_THREADS = 16  # Python buyers; more would starve the 2-core server of CPU


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
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def run_wrk(wrk: str, url: str, seconds: int, connections: int, script=None) -> dict:
    """Load `url` with wrk from its own process and return the parsed figures."""
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


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


def table(rows: list[dict], hello_rps: float) -> str:
    """Return the results as a Markdown table."""
    lines = [
        "| page | requests/s | p50 ms | p99 ms | errors | ratio to hello |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if "rps" not in row:
            lines.append(f"| {row['name']} | {row['note']} | | | | |")
            continue
        ratio = row["rps"] / hello_rps if hello_rps else 0
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['errors']} | {ratio:.2f} |"
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="load time per page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    arguments = parser.parse_args()
    wrk = require_wrk()
    sample = sample_slugs()
    env = {"STOREFRONT_ENV": "production", "RATELIMIT_ENABLED": "false"}
    env["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32)
    shop_port, hello_port = servers.free_port(), servers.free_port()
    (servers.ROOT / "instance").mkdir(exist_ok=True)
    log = open(servers.ROOT / "instance" / "bench-server.log", "w")
    shop = servers.start_server("storefront.wsgi:app", shop_port, env, arguments.server, log)
    hello = servers.start_server("hello:app", hello_port, env, arguments.server, log)
    rows, rss = [], []
    try:
        servers.wait_until_up(f"http://127.0.0.1:{shop_port}/healthz", shop)
        servers.wait_until_up(f"http://127.0.0.1:{hello_port}/", hello)
        load = (wrk, arguments.seconds, arguments.connections)
        hello_figures = run_wrk(wrk, f"http://127.0.0.1:{hello_port}/", *load[1:])
        rows.append({"name": "hello app (ceiling)", **hello_figures})
        for name, path in PAGES:
            url = f"http://127.0.0.1:{shop_port}" + path.format(**sample)
            if not is_served(url):
                rows.append({"name": name, "note": NOT_MERGED})
                continue
            rows.append({"name": name, **run_wrk(load[0], url, *load[1:])})
            print(table(rows[-1:], hello_figures["rps"]).splitlines()[-1], flush=True)
        base = f"http://127.0.0.1:{shop_port}"
        routes, setup = flows.shop_routes(), None
        for name, flow in flows.FLOWS:
            if not flows.NEEDED_ROUTES[flow] <= routes:
                rows.append({"name": name, "note": NOT_MERGED})
                continue
            setup = setup or flows.prepare_buyers(env["SECRET_KEY"])
            if flow == "cart":
                script = flows.cart_script(setup)
                rows.append({"name": name, **run_wrk(wrk, base + "/", *load[1:], script=script)})
            else:
                figures = flows.order_load(base, setup, arguments.seconds, ORDER_THREADS)
                rows.append({"name": name, **figures})
            print(table(rows[-1:], hello_figures["rps"]).splitlines()[-1], flush=True)
        rss = servers.worker_rss_mb(shop)
    finally:
        servers.stop_server(shop)
        servers.stop_server(hello)
        log.close()
    workers = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
    command = "make bench" + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
    report = "\n".join(
        [
            f"### {sample['backend']}, {sample['count']:,} products, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"- Machine: {machine()}",
            f"- Server: {arguments.server} ({workers} workers class for gunicorn), "
            f"{arguments.connections} connections, {arguments.seconds} s per page, "
            "wrk with 2 threads on the same machine",
            f"- Command: `{command}`",
            f"- Resident memory per shop worker at the end: "
            f"{', '.join(f'{size:.0f} MB' for size in rss) or 'not read'}",
            "",
            table(rows, rows[0]["rps"]),
        ]
    )
    print(report)
    if not arguments.no_docs:
        write_docs(sample["backend"], report)


if __name__ == "__main__":
    main()
