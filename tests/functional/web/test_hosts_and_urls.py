"""Every absolute URL is on SHOP_URL; hosts the shop does not serve and odd input get a 4xx."""

from __future__ import annotations

import json
import re
import time

import pytest
from flask import url_for

from tests.functional.performance.conftest import from_store

SHOP_URL = "http://localhost"  # TestConfig's
ATTACKER = "attacker.example"


def _ask_for_a_reset(client, **headers):
    return client.post("/forgot-password", data={"email": "ada@example.com"}, headers=headers)


def _reset_links(inbox) -> list[str]:
    bodies = [message.get_body(("plain",)).get_content() for message in inbox.messages]
    return [link for body in bodies for link in re.findall(r"\S+/reset-password/\S+", body)]


@pytest.fixture
def ada(db, make):
    """Return a customer whose address a reset can be asked for."""
    return make.user(email="ada@example.com", name="Ada")


def test_a_reset_asked_for_with_a_foreign_host_is_refused_and_mails_nothing(
    client, ada, smtp_server
):
    response = _ask_for_a_reset(client, Host=ATTACKER)

    assert response.status_code == 400
    assert f"does not answer to the host name {ATTACKER}" in response.get_data(as_text=True)
    time.sleep(0.3)
    assert smtp_server.messages == []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_the_mailed_reset_link_is_on_the_shops_address_whatever_host_was_used(
    client, ada, smtp_server, host
):
    assert _ask_for_a_reset(client, Host=host).status_code == 302

    smtp_server.wait(1)
    [link] = _reset_links(smtp_server)
    assert link.startswith(f"{SHOP_URL}/reset-password/")


def test_a_forwarded_host_is_ignored_without_the_proxy_setting(client, ada, smtp_server):
    assert _ask_for_a_reset(client, **{"X-Forwarded-Host": ATTACKER}).status_code == 302

    smtp_server.wait(1)
    [link] = _reset_links(smtp_server)
    assert link.startswith(f"{SHOP_URL}/reset-password/") and ATTACKER not in link


def test_behind_a_proxy_an_untrusted_forwarded_host_is_refused(app, app_with, ada, smtp_server):
    proxied = app_with(TRUSTED_PROXIES=1)
    proxied.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=app.config["MAIL_PORT"])
    client = proxied.test_client()

    refused = _ask_for_a_reset(client, **{"X-Forwarded-Host": ATTACKER})
    assert refused.status_code == 400
    time.sleep(0.3)
    assert smtp_server.messages == []

    assert _ask_for_a_reset(client, **{"X-Forwarded-Host": "127.0.0.1"}).status_code == 302
    smtp_server.wait(1)
    [link] = _reset_links(smtp_server)
    assert link.startswith(f"{SHOP_URL}/reset-password/")


def _absolute_urls(html: str) -> list[str]:
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(ld)
    images = data.get("image", [])
    return canonical + [data["url"], *images]


def test_a_product_page_fetched_under_an_alias_links_only_to_the_shops_address(app, db, make):
    shoe = make.product(name="Trail Runner", slug="trail-runner")
    make.image(shoe)

    alias = app.test_client().get("/p/trail-runner", headers={"Host": "127.0.0.1"})
    stored = app.test_client().get("/p/trail-runner")  # the next guest, from the store

    assert from_store(stored)
    for response in (alias, stored):
        urls = _absolute_urls(response.get_data(as_text=True))
        assert len(urls) >= 3
        assert all(url.startswith(f"{SHOP_URL}/") for url in urls), urls
        assert "127.0.0.1" not in response.get_data(as_text=True)


LONG_LABEL_HOST = "a" * 64 + ".example"


def _get_routes(app) -> list[str]:
    with app.test_request_context():
        return sorted(
            {
                url_for(rule.endpoint, **dict.fromkeys(rule.arguments, "1"))
                for rule in app.url_map.iter_rules()
                if "GET" in rule.methods
            }
        )


def test_a_host_label_over_63_characters_gets_400_on_every_route(app, db):
    routes = _get_routes(app)
    assert "/healthz" in routes and "/" in routes

    for path in routes:
        response = app.test_client().get(path, headers={"Host": LONG_LABEL_HOST})
        assert response.status_code == 400, f"{path} answered {response.status_code}"
        assert b"not a valid host name" in response.get_data()


def test_a_host_label_over_63_characters_gets_400_on_a_form_post(client, db):
    response = client.post(
        "/login", data={"email": "x@example.com"}, headers={"Host": LONG_LABEL_HOST}
    )

    assert response.status_code == 400


NUL_MESSAGE = "The request contained a NUL character, which no field accepts."


@pytest.mark.all_databases  # PostgreSQL refuses NUL in text
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("GET", "/orders/%00", None),
        ("GET", "/p/trail%00runner", None),
        ("GET", "/search?q=shoe%00", None),
        ("GET", "/products?size=%00", None),
        ("POST", "/login", {"email": "ada\x00@example.com", "password": "x"}),
        ("POST", "/register", {"name": "Ada\x00", "email": "a@example.com"}),
        ("POST", "/forgot-password", {"email": "\x00"}),
    ],
)
def test_a_nul_byte_anywhere_gets_400_with_a_clear_message(client, db, method, url, data):
    response = client.open(url, method=method, data=data)

    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


@pytest.mark.all_databases
def test_a_nul_byte_in_a_signed_in_customers_form_changes_nothing(client, db, make, login_as):
    login_as(client, make.user(name="Ada"))

    response = client.post("/account", data={"name": "Ev\x00il", "email": "x@example.com"})

    assert response.status_code == 400
    assert "Ada" in client.get("/account").get_data(as_text=True)


@pytest.mark.all_databases
@pytest.mark.parametrize(
    "url",
    [
        "/admin/orders/99999999999999999999",
        "/admin/products/9223372036854775808",
        "/admin/inventory/99999999999999999999",
        "/admin/categories/99999999999999999999/delete",
    ],
)
def test_an_id_no_table_can_hold_is_a_404_not_a_500(client, db, make, login_as, url):
    login_as(client, make.admin())

    assert client.get(url).status_code == 404


@pytest.mark.all_databases
def test_ids_at_and_past_the_largest_key_a_table_can_hold_are_404(client, db, make, login_as):
    login_as(client, make.admin())

    assert client.get("/admin/orders/2147483647").status_code == 404
    assert client.get("/admin/orders/2147483648").status_code == 404
