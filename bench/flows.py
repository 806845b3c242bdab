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
NEEDED_ROUTES = {
    "cart": {"/cart/add", "/cart", "/cart/empty"},
    "order": {"/cart/add", "/checkout/place"},
}
FLOWS = [
    ("add to cart + cart page (signed in)", "cart"),
    ("order placement (signed in, orders/s)", "order"),
]


def prepare_buyers(secret_key: str, count: int = BUYERS) -> dict:
    """Create (or reuse) buyers and a well-stocked shoe; return cookies, tokens and variants."""
    from flask import g
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import delete, select

    from storefront import create_app
    from storefront.accounts.models import User
    from storefront.accounts.passwords import hash_password
    from storefront.accounts.sessions import start_login_session
    from storefront.cart.models import Cart, CartLine
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
                "Bench Order Shoe",
                slug="bench-order-shoe",
                sizes={"42": ORDER_STOCK},
                sku_prefix="BENCH-ORDER",  # the factory's own SKUs restart in each process
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
            # Each run starts from an empty cart: lines left by an earlier run would reach the
            # per-line cap (CART_MAX_QUANTITY) or the stock and turn adds into refusals.
            cart_ids = select(Cart.id).where(Cart.user_id == user.id).scalar_subquery()
            db.session.execute(delete(CartLine).where(CartLine.cart_id.in_(cart_ids)))
            db.session.commit()
            with app.test_request_context():
                from flask import session

                session["_user_id"], session["_fresh"] = token, True
                # generate_csrf() reuses the token cached on `g`, which this app context
                # shares across buyers, and then leaves it out of the new session: forget it
                # so that every buyer's cookie carries its own CSRF secret.
                g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
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
-- Each wrk thread drives its own share of the buyers, so two threads never act for one buyer.
-- A buyer adds one unit of a variant, then looks at the cart; every %(empty_every)sth add is
-- "empty the cart" instead, so carts stay realistic (a few lines of one unit) and no line ever
-- reaches the per-line cap or the variant's stock.
local buyers = {%(buyers)s}
local variants = {%(variants)s}
local threads = %(threads)s
local counter = 0
local n = 0
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
end
request = function()
  n = n + 1
  local share = math.floor(#buyers / threads)
  local turn = math.floor(n / 2)
  local buyer = buyers[id * share + (turn %% share) + 1]
  local round = math.floor(turn / share)
  local headers = {["Cookie"] = "%(cookie_name)s=" .. buyer[1]}
  if n %% 2 == 1 then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    if round %% %(empty_every)s == %(empty_every)s - 1 then
      return wrk.format("POST", "/cart/empty", headers, "csrf_token=" .. buyer[2])
    end
    local variant = variants[((turn + round) %% #variants) + 1]
    local body = "variant_id=" .. variant .. "&quantity=1&csrf_token=" .. buyer[2]
    return wrk.format("POST", "/cart/add", headers, body)
  end
  return wrk.format("GET", "/cart", headers)
end
"""
EMPTY_EVERY = 8
WRK_THREADS = 2


def cart_script(setup: dict) -> Path:
    """Write the wrk script: add to cart, then the cart page, for each buyer in turn."""
    buyers = ", ".join(f'{{"{b["cookie"]}", "{b["csrf"]}"}}' for b in setup["buyers"])
    variants = ", ".join(str(v) for v in setup["cart_variants"])
    text = LUA % {
        "buyers": buyers,
        "variants": variants,
        "cookie_name": setup["cookie_name"],
        "threads": WRK_THREADS,
        "empty_every": EMPTY_EVERY,
    }
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
