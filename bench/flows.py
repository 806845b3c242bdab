"""The signed-in flows of `make bench`: add to cart + cart page (wrk), order placement (threads).

Buyers are real users with real login sessions in the benchmark database; their session
cookies are signed here with the server's SECRET_KEY, as a login would do, so
the login rate limit does not stand in the way. A flow is measured only once the shop has the
routes it needs; until then the table says so.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUYERS = 64
ORDER_STOCK = 1_000_000
ORDER_PRODUCTS = 16  # shoes the order flow's buyers buy in turn, each with ORDER_STOCK units
NEEDED_ROUTES = {
    "cart": {"/cart/add", "/cart", "/cart/empty"},
    "order": {"/cart/add", "/checkout/place"},
    "order-one-product": {"/cart/add", "/checkout/place"},
}
FLOWS = [
    ("add to cart + cart page (signed in)", "cart"),
    ("order placement (signed in, orders/s)", "order"),
    # A rush on one shoe: every order waits for the one before to commit its stock row.
    ("order placement, all on one shoe (orders/s)", "order-one-product"),
]


def prepare_buyers(secret_key: str, count: int = BUYERS) -> dict:
    """Create (or reuse) buyers and a well-stocked shoe; return cookies, tokens and variants."""
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
        order_variants = []
        for number in range(1, ORDER_PRODUCTS + 1):
            slug = "bench-order-shoe" if number == 1 else f"bench-order-shoe-{number}"
            product = db.session.scalar(select(Product).where(Product.slug == slug))
            if product is None:
                product = factories.product(
                    f"Bench Order Shoe {number}",
                    slug=slug,
                    sizes={"42": ORDER_STOCK},
                    sku_prefix=f"BENCH-ORDER-{number}",  # factory SKUs restart in each process
                )
            order_variants.append(product.variants[0].id)
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
                cookie = serializer.dumps(dict(session))
            buyers.append({"cookie": cookie})
        db.engine.dispose()
    return {
        "buyers": buyers,
        "cookie_name": app.config["SESSION_COOKIE_NAME"],
        "order_variant": order_variants[0],  # the one shoe of a rush (and of order_load)
        "order_variants": order_variants,
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
      return wrk.format("POST", "/cart/empty", headers, "")
    end
    local variant = variants[((turn + round) %% #variants) + 1]
    local body = "variant_id=" .. variant .. "&quantity=1"
    return wrk.format("POST", "/cart/add", headers, body)
  end
  return wrk.format("GET", "/cart", headers)
end
"""
EMPTY_EVERY = 8
WRK_THREADS = 2


def cart_script(setup: dict) -> Path:
    """Write the wrk script: add to cart, then the cart page, for each buyer in turn."""
    buyers = ", ".join(f'{{"{b["cookie"]}"}}' for b in setup["buyers"])
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


ORDER_LUA = """
-- One buyer per wrk thread and one connection per thread, so each thread's script sees its own
-- buyer's responses in order. A flow is the four requests a customer makes: add one unit of the
-- order shoe, open the checkout form, submit it (the review page, which holds this checkout's
-- token), place the order. It counts only when placing ends in a redirect to the thanks page.
-- Buyer n's k-th order is of shoe n + k, so buyers in step buy different shoes.
local buyers = {%(buyers)s}
local variants = {%(variants)s}
local checkout_body = "%(checkout_body)s"
local threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } storefront_timespec;
int clock_gettime(int clock_id, storefront_timespec *tp);
]]
local function now_ms()
  local t = ffi.new("storefront_timespec")
  ffi.C.clock_gettime(1, t)
  return tonumber(t.tv_sec) * 1000 + tonumber(t.tv_nsec) / 1e6
end
local step, token, started, flows = 1, nil, 0, 0
orders, failures, durations = 0, 0, {}
init = function(args)
  buyer = buyers[id]
  cookie = "%(cookie_name)s=" .. buyer[1]
end
local function post(path, body)
  local headers = {["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}
  return wrk.format("POST", path, headers, body)
end
request = function()
  if step == 1 then
    started = now_ms()
    flows = flows + 1
    local variant = variants[((id + flows) %% #variants) + 1]
    return post("/cart/add", "variant_id=" .. variant .. "&quantity=1")
  elseif step == 2 then
    return wrk.format("GET", "/checkout", {["Cookie"] = cookie})
  elseif step == 3 then
    return post("/checkout", checkout_body)
  end
  return post("/checkout/place", checkout_body .. "&checkout_token=" .. token)
end
response = function(status, headers, body)
  local ok = (step == 1 and status == 302) or (step == 2 and status == 200)
  if step == 3 and status == 200 then
    token = string.match(body, 'name="checkout_token" value="([^"]+)"')
    ok = token ~= nil
  end
  if step == 4 then
    local location = headers["Location"] or headers["location"] or ""
    ok = status == 302 and string.find(location, "/thanks", 1, true) ~= nil
    if ok then
      orders = orders + 1
      table.insert(durations, now_ms() - started)
    end
  end
  if not ok then
    failures = failures + 1
    step = 1
  elseif step == 4 then
    step = 1
  else
    step = step + 1
  end
end
done = function(summary, latency, requests)
  local all, total_orders, total_failures = {}, 0, 0
  for _, thread in ipairs(threads) do
    total_orders = total_orders + thread:get("orders")
    total_failures = total_failures + thread:get("failures")
    for _, value in ipairs(thread:get("durations")) do table.insert(all, value) end
  end
  table.sort(all)
  local function pct(p)
    if #all == 0 then return 0 end
    return all[math.max(1, math.ceil(#all * p))]
  end
  io.write(string.format("orders %%d failures %%d seconds %%.3f p50 %%.1f p99 %%.1f\\n",
    total_orders, total_failures, summary.duration / 1e6, pct(0.5), pct(0.99)))
end
"""


def order_script(setup: dict, checkout_fields: dict, variants: list[int]) -> Path:
    """Write the wrk script that places orders of `variants`, one buyer per wrk thread."""
    buyers = ", ".join(f'{{"{b["cookie"]}"}}' for b in setup["buyers"])
    text = ORDER_LUA % {
        "buyers": buyers,
        "cookie_name": setup["cookie_name"],
        "variants": ", ".join(str(variant) for variant in variants),
        "checkout_body": urllib.parse.urlencode(checkout_fields),
    }
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    with handle:
        handle.write(text)
    return Path(handle.name)


def order_wrk(wrk: str, base: str, setup: dict, seconds: int, variants: list[int]) -> dict:
    """Place orders of `variants` with wrk (a connection per buyer); return orders/s etc."""
    sys.path.insert(0, str(ROOT))
    from tests.cluster.harness import ADDRESS

    fields = {"address_choice": "new", **ADDRESS}
    fields |= {"shipping_method": "standard", "payment_method": "cod"}
    script = order_script(setup, fields, variants)
    count = len(setup["buyers"])
    command = [wrk, f"-t{count}", f"-c{count}", f"-d{seconds}s", "--timeout", "10s", "-s"]
    output = subprocess.run(
        [*command, str(script), base + "/"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(
        r"orders (\d+) failures (\d+) seconds ([\d.]+) p50 ([\d.]+) p99 ([\d.]+)", output
    )
    if found is None:
        raise RuntimeError(f"the order script printed no result:\n{output}")
    orders, failures = int(found.group(1)), int(found.group(2))
    return {
        "rps": orders / float(found.group(3)),
        "p50": float(found.group(4)),
        "p99": float(found.group(5)),
        "errors": failures,
    }


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
        added = browser.request(base + "/cart/add", form)[0]
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
