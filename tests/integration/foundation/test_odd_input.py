"""No input, however odd, makes the shop answer 5xx: every page, form and query argument.

The walk is bounded (about 3,000 requests per database) and prints how many it sent. Its
failure message lists apart the classes the web layer refuses before any view (NUL bytes, int
path segments out of range, a Host header the shop does not serve), so each fix shows alone.
"""

from __future__ import annotations

import time
from collections import defaultdict

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from storefront.cart.models import CartLine
from tests.admin_fixtures import place_order  # noqa: F401 - fixture
from tests.factories import image

from .fuzzing import (
    KNOWN_WEB_LAYER,
    LONG_HOST_LABEL,
    READ,
    SKIPPED_ENDPOINTS,
    Case,
    RecordingRequest,
    classify,
    fill_rule,
    form_cases,
    parse_page,
    query_cases,
    split_link,
)

ROLES = ("guest", "customer", "admin")
MAX_REQUESTS = 3_500


def _stock_shop(db, make, place_order):  # noqa: F811 - the fixture
    category = make.category("Road")
    shoe = make.product("Swift Road", category=category, sizes={"41": 4, "42": 0})
    plain = make.product("Plain Sock", category=category)
    picture = image(shoe, alt_text="Side view")
    customer, admin = make.user(), make.admin()
    order = place_order({shoe.variants[0]: 1}, email=customer.email, user=customer)
    return {
        "slug": [shoe.slug, category.slug],
        "reference": [order.reference],
        "token": ["x"],
        "key": [picture.storage_key],
        "category_id": [str(category.id)],
        "product_id": [str(shoe.id), str(plain.id)],
        "variant_id": [str(shoe.variants[0].id)],
        "image_id": [str(picture.id)],
        "order_id": [str(order.id)],
        "user_id": [str(customer.id), str(admin.id)],
        "action": ["receive", "write_off"],
    }, {"customer": customer, "admin": admin}


class Walk:
    """Send cases, count them and keep the ones that answered 5xx."""

    def __init__(self, clients: dict) -> None:
        self.clients = clients
        self.sent = 0
        self.failures: dict[str, list[str]] = defaultdict(list)

    def send(self, case: Case):
        """Send one case; return its response (None when the app raised)."""
        client = self.clients[case.role]
        data = MultiDict(case.data or [])
        options = {"headers": {"Host": case.host}} if case.host else {}
        if case.method == "get":
            options["query_string"] = data
        else:
            options["data"] = data
        self.sent += 1
        try:
            response = client.open(case.url, method=case.method.upper(), **options)
        except Exception as error:  # noqa: BLE001 - the app raised: a 500 in production
            self._fail(case, f"raised {error.__class__.__name__}: {str(error)[:120]}")
            return None
        if response.status_code >= 500:
            self._fail(case, f"answered {response.status_code}")
        return response

    def _fail(self, case: Case, outcome: str) -> None:
        self.failures[classify(case)].append(
            f"{case.role} {case.method.upper()} {case.url[:80]} {case.description[:60]}: {outcome}"
        )

    def report(self) -> str:
        """Return the failures grouped by class, the web layer's known ones apart."""
        lines = []
        for name in sorted(self.failures, key=lambda key: (key in KNOWN_WEB_LAYER, key)):
            cases = self.failures[name]
            known = " (refused by the web layer before any view)" if name in KNOWN_WEB_LAYER else ""
            lines.append(f"{name}{known}: {len(cases)}")
            lines.extend(f"    {case}" for case in cases[:15])
        return "\n".join(lines)


def _discover(app, walk: Walk, real_values: dict):
    """GET every page as every role; return its forms, its links and a page per rule."""
    forms, links, page_of_rule = [], [], {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for url, bad, out_of_range in fill_rule(rule, real_values):
            # A POST to a real record would change it (archive, disable): forms do those.
            methods = ["get"] if "GET" in rule.methods else ["post"] if bad else []
            for role in ROLES:
                for method in methods:
                    case = Case(role, method, url, "path", [], None, out_of_range)
                    response = walk.send(case)
                    if response is None or response.status_code != 200 or method != "get":
                        continue
                    page_of_rule.setdefault(rule.rule, (role, url))
                    if response.mimetype == "text/html":
                        found_forms, found_links = parse_page(role, url, response.get_data(True))
                        forms.extend(found_forms)
                        links.extend((role, url, link) for link in found_links)
    return forms, links, page_of_rule


def _endpoint(app, path: str, method: str = "GET") -> str | None:
    try:
        return app.url_map.bind("localhost").match(path.split("?")[0], method=method)[0]
    except Exception:  # noqa: BLE001 - not a route of the shop
        return None


def _sort_forms(app, forms, links):
    """Return the query arguments per (role, endpoint) and each distinct POST form once."""
    seen, queries, post_forms = set(), defaultdict(set), []
    for form in forms:
        endpoint = _endpoint(app, form.action, form.method.upper())
        names = tuple(sorted({name for name, _ in form.fields}))
        key = (form.role, form.method, endpoint, names)
        if endpoint is None or endpoint in SKIPPED_ENDPOINTS or key in seen:
            continue
        seen.add(key)
        if form.method == "get":
            queries[(form.role, endpoint)] |= {(form.action, name) for name in names}
        elif names:
            post_forms.append(form)
    for role, page_url, link in links:
        path, names = split_link(link, page_url.split("?")[0])
        endpoint = _endpoint(app, path)
        if endpoint is not None:
            queries[(role, endpoint)] |= {(path, name) for name in names}
    return queries, post_forms


def _fuzz_queries(app, walk: Walk, queries: dict, page_of_rule: dict) -> set:
    """Fuzz each query argument of each endpoint once; return the (endpoint, name) pairs."""
    fuzzed = set()
    for (role, endpoint), pairs in queries.items():
        for name, path in {name: path for path, name in sorted(pairs)}.items():
            if (endpoint, name) not in fuzzed:
                fuzzed.add((endpoint, name))
                for case in query_cases(role, path, {name}):
                    walk.send(case)
    # Query arguments a view read that no form or link names are fuzzed too.
    for rule, name in sorted(READ):
        if rule not in page_of_rule:
            continue
        role, url = page_of_rule[rule]
        if (_endpoint(app, url), name) not in fuzzed:
            fuzzed.add((_endpoint(app, url), name))
            for case in query_cases(role, url, {name}):
                walk.send(case)
    return fuzzed


def test_no_page_form_or_query_argument_answers_5xx_to_odd_input(
    app,
    db,
    make,
    login_as,
    place_order,  # noqa: F811 - the fixture
    backend,
):
    app.request_class = RecordingRequest
    READ.clear()
    real_values, people = _stock_shop(db, make, place_order)
    clients = {role: app.test_client() for role in ROLES}
    for role in ("customer", "admin"):
        login_as(clients[role], people[role])
    walk = Walk(clients)
    for role in ROLES:
        # Something in each cart, so the cart lines and the checkout show their forms.
        clients[role].post("/cart/add", data={"variant_id": real_values["variant_id"][0]})
    real_values["line_id"] = [str(line_id) for line_id in db.session.scalars(select(CartLine.id))]
    started = time.monotonic()

    forms, links, page_of_rule = _discover(app, walk, real_values)

    queries, post_forms = _sort_forms(app, forms, links)
    fuzzed = _fuzz_queries(app, walk, queries, page_of_rule)
    for form in post_forms:  # last: a form may sign its own person out or disable another
        if form.role != "guest":
            login_as(clients[form.role], people[form.role])
        for case in form_cases(form):
            walk.send(case)
    for url in ("/", "/healthz"):
        walk.send(Case("guest", "get", url, "long Host label", host=LONG_HOST_LABEL))

    seconds = time.monotonic() - started
    print(
        f"\n[{backend}] odd-input walk: {walk.sent} requests in {seconds:.0f} s, "
        f"{len(post_forms)} forms, {len(fuzzed)} query arguments"
    )
    assert not walk.failures, f"{sum(map(len, walk.failures.values()))} 5xx:\n{walk.report()}"
    assert walk.sent <= MAX_REQUESTS
