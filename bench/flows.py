"""The signed-in flows of `make bench`: add to cart + cart page (wrk), order placement (threads).

Buyers are real users with real login sessions in the benchmark database; their session
cookies and CSRF tokens are signed here with the server's SECRET_KEY, as a login would do, so
the login rate limit does not stand in the way. A flow is measured only once the shop has the
routes it needs; until then the table says so.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUYERS = 64
ORDER_STOCK = 1_000_000
NEEDED_ROUTES = {"cart": {"/cart/add", "/cart"}, "order": {"/cart/add", "/checkout/place"}}
FLOWS = [
    ("add to cart + cart page (signed in)", "cart"),
    ("order placement (signed in, orders/s)", "order"),
]


def prepare_buyers(secret_key: str, count: int = BUYERS) -> dict:
    """Create (or reuse) buyers and a well-stocked shoe; return cookies, tokens and variants."""
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from storefront import create_app
    from storefront.accounts.models import User
    from storefront.accounts.passwords import hash_password
    from storefront.accounts.sessions import start_login_session
    from storefront.catalog.models import Product, Variant
    from storefront.extensions import db

    sys.path.insert(0, str(ROOT))
    from tests import factories

    os.environ["SECRET_KEY"] = secret_key
    app = create_app()
    serializer = app.session_interface.get_signing_serializer(app)
    buyers = []
    with app.app_context():
        password_hash = hash_password(factories.PASSWORD)
        product = db.session.scalar(select(Product).where(Product.slug == "bench-order-shoe"))
        if product is None:
            product = factories.product(
                "Bench Order Shoe", slug="bench-order-shoe", sizes={"42": ORDER_STOCK}
            )
        order_variant = product.variants[0].id
        cart_variants = db.session.scalars(
            select(Variant.id).where(Variant.stock > 30).order_by(Variant.id).limit(20)
        ).all()
        for number in range(count):
            email = f"bench-buyer-{number}@example.com"
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                user = User(email=email, name=f"Buyer {number}", password_hash=password_hash)
                db.session.add(user)
                db.session.flush()
            token = start_login_session(user)
            db.session.commit()
            with app.test_request_context():
                from flask import session

                session["_user_id"], session["_fresh"] = token, True
                csrf = generate_csrf()
                cookie = serializer.dumps(dict(session))
            buyers.append({"cookie": cookie, "csrf": csrf})
        db.engine.dispose()
    return {
        "buyers": buyers,
        "cookie_name": app.config["SESSION_COOKIE_NAME"],
        "order_variant": order_variant,
        "cart_variants": list(cart_variants),
    }


def shop_routes() -> set[str]:
    """Return the URL rules of the shop."""
    from storefront import create_app

    return {rule.rule for rule in create_app().url_map.iter_rules()}


LUA = """
local buyers = {%(buyers)s}
local variants = {%(variants)s}
local n = 0
request = function()
  n = n + 1
  local buyer = buyers[(math.floor(n / 2) %% #buyers) + 1]
  local headers = {["Cookie"] = "%(cookie_name)s=" .. buyer[1]}
  if n %% 2 == 1 then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local variant = variants[(n %% #variants) + 1]
    local body = "variant_id=" .. variant .. "&quantity=1&csrf_token=" .. buyer[2]
    return wrk.format("POST", "/cart/add", headers, body)
  end
  return wrk.format("GET", "/cart", headers)
end
"""


def cart_script(setup: dict) -> Path:
    """Write the wrk script that alternates add-to-cart and the cart page over the buyers."""
    buyers = ", ".join(f'{{"{b["cookie"]}", "{b["csrf"]}"}}' for b in setup["buyers"])
    variants = ", ".join(str(v) for v in setup["cart_variants"])
    text = LUA % {"buyers": buyers, "variants": variants, "cookie_name": setup["cookie_name"]}
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    with handle:
        handle.write(text)
    return Path(handle.name)


def order_load(base: str, setup: dict, seconds: int, threads: int) -> dict:
    """Place orders from `threads` buyers for `seconds`; return orders/s, p50, p99, errors."""
    sys.path.insert(0, str(ROOT))
    from tests.cluster.harness import ADDRESS, Browser, form_fields

    durations, errors = [], []
    deadline = time.monotonic() + seconds

    def buyer_loop(buyer: dict) -> None:
        browser = Browser()
        browser.cookies[setup["cookie_name"]] = buyer["cookie"]
        while time.monotonic() < deadline:
            try:
                place_one(browser, buyer)
            except Exception as error:  # noqa: BLE001 - a failed flow is an error, not a crash
                errors.append(repr(error))

    def place_one(browser, buyer: dict) -> None:
        started = time.perf_counter()
        form = {"variant_id": setup["order_variant"], "quantity": 1}
        added = browser.request(base + "/cart/add", form | {"csrf_token": buyer["csrf"]})[0]
        status, review, _ = browser.submit(base, "/checkout", "/checkout", ADDRESS)
        placed = (0, "", "")
        if added == 302 and status == 200 and "/checkout/place" in review:
            fields = form_fields(review, "/checkout/place")
            placed = browser.request(base + "/checkout/place", fields)
        if placed[0] == 302 and "/thanks" in placed[2]:
            durations.append((time.perf_counter() - started) * 1000)
        else:
            errors.append((added, status, placed[0]))

    workers = [
        threading.Thread(target=buyer_loop, args=(buyer,)) for buyer in setup["buyers"][:threads]
    ]
    begun = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - begun
    quantiles = statistics.quantiles(durations, n=100) if len(durations) > 1 else [0] * 99
    return {
        "rps": len(durations) / elapsed,
        "p50": quantiles[49],
        "p99": quantiles[98],
        "errors": len(errors),
    }
