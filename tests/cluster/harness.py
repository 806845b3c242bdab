"""Two or more instances of the shop on one PostgreSQL and one Redis, and a browser.

Used by tests/cluster/ and by `make bench-cluster` (bench/cluster.py). The instances run the
production entry point through serve.py on free loopback ports and share SECRET_KEY. The
servers alternate between Granian (the default of `make serve`) and gunicorn with
gunicorn.conf.py, so both production servers are proven against the shared services.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from servers import free_port, start_server, stop_server, wait_until_up  # noqa: E402

CLUSTER_DATABASE = "test_cluster"
SERVERS = ("granian", "gunicorn")
PASSWORD = "correct horse battery staple 42"
ADDRESS = {"full_name": "Bea Buyer", "street": "Hauptstr. 1", "city": "Berlin"}
ADDRESS |= {"postal_code": "10115", "country": "Germany", "phone": ""}


def fresh_database(server_url: str, name: str = CLUSTER_DATABASE) -> str:
    """Create database `name` anew on the server of `server_url`; return its URL."""
    import psycopg

    url = make_url(server_url)
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def shop_env(database_url: str, redis_url: str, secret_key: str) -> dict:
    """Return the environment every instance of the cluster shares."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secret_key,
        "STOREFRONT_ENV": "production",
        "SHOP_URL": "http://127.0.0.1",  # both instances answer on loopback ports
        "IMAGE_STORAGE": "database",
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "4",
        "FLASK_APP": "storefront:create_app",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST": "8192",
        "ARGON2_PARALLELISM": "1",
    }


def migrate(env: dict) -> None:
    """Bring the cluster's database to the newest schema with `flask db upgrade`."""
    flask = Path(sys.executable).parent / "flask"
    subprocess.run(
        [str(flask), "db", "upgrade"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


class Cluster:
    """Started instances: their base URLs, and a way to stop them all."""

    def __init__(self, env: dict, count: int = 2) -> None:
        self.env = env
        self.ports = [free_port() for _ in range(count)]
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.processes = []

    def start(self) -> Cluster:
        """Start every instance and wait until each answers /healthz."""
        for number, port in enumerate(self.ports):
            server = SERVERS[number % len(SERVERS)]
            self.processes.append(start_server("storefront.wsgi:app", port, self.env, server))
        for url, process in zip(self.urls, self.processes, strict=True):
            wait_until_up(f"{url}/healthz", process, seconds=60)
        return self

    def stop(self) -> None:
        """Stop every instance."""
        for process in self.processes:
            stop_server(process)


class _Forms(HTMLParser):
    """Collect each form's action and the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action", ""), "fields": {}})
        elif tag == "input" and self.forms and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind in {"radio", "checkbox"} and "checked" not in attributes:
                self.forms[-1]["fields"].setdefault(attributes["name"], None)
                return
            if kind not in {"submit", "button"}:
                self.forms[-1]["fields"][attributes["name"]] = attributes.get("value", "")


class Browser:
    """One visitor: a cookie jar shared across every instance (cookies ignore the port)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, url: str, form: dict | None = None) -> tuple[int, str, str]:
        """GET (or POST `form`) without following redirects; return status, body, Location."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        request = urllib.request.Request(url, data=data, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[name.strip()] = value
            body = response.read().decode("utf-8", "replace")
            return response.status, body, response.headers.get("Location", "")

    def submit(self, base: str, page: str, action: str, values: dict) -> tuple[int, str, str]:
        """Fill the form posting to `action` on `page` with `values`, and submit it."""
        status, body, location = self.request(base + page)
        if status != 200:
            return status, body, location
        return self.request(base + action, form_fields(body, action) | values)


def form_fields(html: str, action: str) -> dict:
    """Return what a browser would submit from the page's form posting to `action`."""
    parser = _Forms()
    parser.feed(html)
    form = next(f for f in parser.forms if f["action"].split("?")[0] == action)
    return {name: value for name, value in form["fields"].items() if value is not None}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def new_secret() -> str:
    """Return a fresh SECRET_KEY for a cluster run."""
    return secrets.token_urlsafe(32)


def seed_shop(env: dict, buyers: int, units: int = 10) -> dict:
    """Add a customer, `buyers` signed-in buyers and one product with `units` in stock."""
    script = (
        "import json, sys; from tests.cluster.harness import _seed; "
        f"print(json.dumps(_seed({buyers}, {units})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def _seed(buyers: int, units: int) -> dict:
    """Create the records in the database of DATABASE_URL (run in a child process)."""
    from storefront import create_app
    from storefront.accounts.sessions import start_login_session
    from storefront.extensions import db
    from tests import factories

    app = create_app()
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        customer = factories.user("shopper@example.com", PASSWORD)
        product = factories.product("Cluster Runner", sizes={"42": units})
        cookies = []
        for number in range(buyers):
            buyer = factories.user(f"buyer{number}@example.com", PASSWORD)
            token = start_login_session(buyer)
            db.session.commit()
            cookies.append(serializer.dumps({"_user_id": token, "_fresh": True}))
        return {
            "email": customer.email,
            "product_slug": product.slug,
            "variant_id": product.variants[0].id,
            "cookie_name": app.config["SESSION_COOKIE_NAME"],
            "buyer_cookies": cookies,
        }


def log_in(browser: Browser, base: str, email: str, password: str) -> int:
    """Post the login form on `base`; return the status code."""
    form = {"email": email, "password": password}
    return browser.request(base + "/login", form)[0]


def buy_one(
    base_add: str, base_checkout: str, cookie_name: str, cookie: str, variant_id: int
) -> str:
    """Add one unit on `base_add`, check out on `base_checkout`; return the outcome."""
    browser = Browser()
    browser.cookies[cookie_name] = cookie
    form = {"variant_id": variant_id, "quantity": 1}
    if browser.request(base_add + "/cart/add", form)[0] != 302:
        return "not added"
    status, review, _ = browser.submit(base_checkout, "/checkout", "/checkout", ADDRESS)
    if status != 200 or "/checkout/place" not in review:
        return f"checkout answered {status}"
    place = form_fields(review, "/checkout/place")
    status, _body, location = browser.request(base_checkout + "/checkout/place", place)
    return "ordered" if status == 302 and "/thanks" in location else f"refused {status}"


def buy_across(urls: tuple[str, str], records: dict, buyers: int) -> list[str]:
    """Let `buyers` buyers at once each add on one instance and check out on the other."""
    a, b = urls
    with ThreadPoolExecutor(max_workers=min(buyers, 50)) as pool:
        return list(
            pool.map(
                lambda n: buy_one(
                    (a, b)[n % 2],
                    (b, a)[n % 2],
                    records["cookie_name"],
                    records["buyer_cookies"][n],
                    records["variant_id"],
                ),
                range(buyers),
            )
        )


def stock_and_orders(database_url: str, variant_id: int) -> tuple[int, int]:
    """Return the variant's stock and the number of orders, read straight from the database."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        stock = connection.execute(
            text("SELECT stock FROM variants WHERE id = :id"), {"id": variant_id}
        ).scalar_one()
        orders = connection.execute(text("SELECT count(*) FROM orders")).scalar_one()
    engine.dispose()
    return stock, orders
