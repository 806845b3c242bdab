"""The issue's yardstick, measured here: bare Flask pages against bench/hello.py, same server.

Issue 8 calibrates its ratios with "a minimal Flask + SQLAlchemy + Jinja list page of 24
products, with no session, no CSRF and no layout" (about 0.25 of hello under gunicorn).
`list_app` is that page. `signed_in_app` is the least a signed-in "add to cart, then the cart
page" can be in the same stack: Flask-Login's user from the login-session row, Flask-WTF's
CSRF check, one transaction that adds the line, a flash message and a redirect; then the
lines read and shown in a bare template with a CSRF field per form. It has none of the shop's
layout, stock or price checks, or cart-page features; it is a floor, not a shop.

`make bench-calibration` (this file) serves both with serve.py's settings, as `make bench`
serves the shop, and loads them with wrk paired with hello, so the shop's ratios can be read
against what the bare stack reaches on the same machine, database and server.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from pathlib import Path

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_required
from flask_wtf.csrf import CSRFProtect
from jinja2 import DictLoader
from sqlalchemy import delete, event, select
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storefront.accounts.models import LoginSession, User  # noqa: E402
from storefront.cart.models import Cart, CartLine  # noqa: E402
from storefront.catalog.models import Product, Variant  # noqa: E402
from storefront.extensions import db  # noqa: E402

LIST = """<!doctype html><title>Products</title><ul>
{% for product in products %}<li><a href="/p/{{ product.slug }}">{{ product.name }}</a>
{{ "%.2f"|format(product.base_price_cents / 100) }}</li>
{% endfor %}</ul>"""

CART = """<!doctype html><title>Your cart</title>
{% for message in get_flashed_messages() %}<p>{{ message }}</p>{% endfor %}
<table>{% for line, variant, product in lines %}<tr>
<td>{{ product.name }} ({{ variant.label }})</td>
<td>{{ "%.2f"|format(line.unit_price_cents_seen / 100) }}</td>
<td><form method="post" action="/cart/lines/{{ line.id }}">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<input type="number" name="quantity" value="{{ line.quantity }}">
<button>Update</button></form></td>
<td><form method="post" action="/cart/lines/{{ line.id }}/remove">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<button>Remove</button></form></td>
</tr>{% endfor %}</table>
<form method="post" action="/cart/empty"><input type="hidden" name="csrf_token"
value="{{ csrf_token() }}"><button>Empty the cart</button></form>"""


def _bare_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'storefront.sqlite3'}"
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    app.secret_key = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32)
    app.jinja_loader = DictLoader({"list.html": LIST, "cart.html": CART})  # compiled once
    db.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_as_the_shop_sets_it(connection, _record) -> None:
    """The shop's SQLite settings: WAL and one sync per checkpoint, not per commit."""
    if type(connection).__module__.startswith("sqlite3"):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")


list_app = _bare_app()


@list_app.get("/list")
def product_list():
    """The issue's calibration page: 24 products, no session, no CSRF, no layout."""
    products = db.session.scalars(select(Product).order_by(Product.id).limit(24)).all()
    return render_template("list.html", products=products)


signed_in_app = _bare_app()
CSRFProtect(signed_in_app)
login_manager = LoginManager(signed_in_app)


@login_manager.user_loader
def load_user(token: str):
    """The user of the live login session named by the cookie's token."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    user = db.session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.id == digest)
    )
    if user is not None:
        user.login_session_id = token
    return user


def _users_cart() -> Cart:
    cart = db.session.scalar(select(Cart).where(Cart.user_id == current_user.id))
    if cart is None:
        cart = Cart(user_id=current_user.id)
        db.session.add(cart)
        db.session.flush()
    return cart


@signed_in_app.post("/cart/add")
@login_required
def add():
    """Add one unit of a variant to the user's cart, then show the cart."""
    try:
        variant_id = int(request.form["variant_id"])
        quantity = int(request.form.get("quantity", 1))
    except (KeyError, ValueError):
        abort(400)
    variant = db.session.get(Variant, variant_id) or abort(404)
    cart = _users_cart()
    line = db.session.scalar(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.variant_id == variant_id)
    )
    if line is None:
        price = variant.price_cents
        db.session.add(
            CartLine(
                cart_id=cart.id,
                variant_id=variant_id,
                quantity=quantity,
                unit_price_cents_seen=price,
            )
        )
    else:
        line.quantity += quantity
    db.session.commit()
    flash("Added to your cart.")
    return redirect(url_for("cart"))


@signed_in_app.post("/cart/empty")
@login_required
def empty():
    """Remove every line of the user's cart."""
    cart = _users_cart()
    db.session.execute(delete(CartLine).where(CartLine.cart_id == cart.id))
    db.session.commit()
    flash("Your cart is now empty.")
    return redirect(url_for("cart"))


@signed_in_app.get("/cart")
@login_required
def cart():
    """The user's cart lines with their products, in a bare page."""
    lines = db.session.execute(
        select(CartLine, Variant, Product)
        .join(Cart, Cart.id == CartLine.cart_id)
        .join(Variant, Variant.id == CartLine.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .where(Cart.user_id == current_user.id)
        .order_by(CartLine.id)
    ).all()
    return render_template("cart.html", lines=lines)


def main() -> None:
    """Serve hello, the list page and the signed-in floor; load each paired with hello."""
    import argparse
    import subprocess

    sys.path.insert(0, str(ROOT / "bench"))
    import flows
    import run
    import servers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    arguments = parser.parse_args()
    wrk = run.require_wrk()
    env = {"STOREFRONT_ENV": "production", "RATELIMIT_ENABLED": "false"}
    env["SHOP_URL"] = "http://127.0.0.1"  # served on loopback ports
    env["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32)
    setup = flows.prepare_buyers(env["SECRET_KEY"])
    script = flows.cart_script(setup)
    targets = {"hello": "hello:app", "list": "calibration:list_app"}
    targets["signed_in"] = "calibration:signed_in_app"
    ports = {name: servers.free_port() for name in targets}
    started = {
        name: servers.start_server(target, ports[name], env, arguments.server, subprocess.DEVNULL)
        for name, target in targets.items()
    }
    load = (arguments.seconds, arguments.connections)
    rows = []
    try:
        for name, process in started.items():
            path = {"hello": "/", "list": "/list", "signed_in": "/healthz"}[name]
            servers.wait_until_up(f"http://127.0.0.1:{ports[name]}{path}", process)
        hello = f"http://127.0.0.1:{ports['hello']}/"
        run.run_wrk(wrk, hello, 2, arguments.connections)
        list_url = f"http://127.0.0.1:{ports['list']}/list"
        cart_url = f"http://127.0.0.1:{ports['signed_in']}/"
        pages = [
            ("bare list page of 24 products (no session)", list_url, None),
            ("bare add to cart + cart page (signed in)", cart_url, script),
        ]
        for name, url, lua in pages:
            run.run_wrk(wrk, url, 2, arguments.connections, script=lua)
            runs = [
                (run.run_wrk(wrk, hello, *load), run.run_wrk(wrk, url, *load, script=lua))
                for _ in range(arguments.repeat)
            ]
            rows.append({"name": name, **run.median_of(runs)})
            print(run.table(rows[-1:]).splitlines()[-1], flush=True)
    finally:
        for process in started.values():
            servers.stop_server(process)
    print(f"\n{run.machine()}; {arguments.server}; `make bench-calibration`\n")
    print(run.table(rows))


if __name__ == "__main__":
    main()
