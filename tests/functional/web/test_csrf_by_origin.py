"""Forms sent from other sites are refused by origin, as Go's CrossOriginProtection does."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import Headers

from storefront.web.csrf import cross_origin_reason

HOST = "shop.example"


@pytest.mark.parametrize(
    ("method", "headers", "allowed"),
    [
        ("GET", {"Sec-Fetch-Site": "cross-site"}, True),  # safe methods change nothing
        ("HEAD", {"Origin": "https://evil.example"}, True),
        ("OPTIONS", {"Sec-Fetch-Site": "cross-site"}, True),
        ("POST", {"Sec-Fetch-Site": "same-origin"}, True),
        ("POST", {"Sec-Fetch-Site": "none"}, True),  # typed in, a bookmark
        ("POST", {"Sec-Fetch-Site": "same-site"}, False),  # a sibling subdomain
        ("POST", {"Sec-Fetch-Site": "cross-site"}, False),
        ("DELETE", {"Sec-Fetch-Site": "cross-site"}, False),
        # Sec-Fetch-Site decides when present, whatever Origin says.
        ("POST", {"Sec-Fetch-Site": "cross-site", "Origin": f"https://{HOST}"}, False),
        ("POST", {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"}, True),
        # Browsers before Sec-Fetch-Site: Origin's host must be the request's host.
        ("POST", {"Origin": f"https://{HOST}"}, True),
        ("POST", {"Origin": f"https://{HOST.upper()}"}, True),
        ("POST", {"Origin": "https://evil.example"}, False),
        ("POST", {"Origin": f"https://{HOST}:8443"}, False),  # another port, another origin
        ("POST", {"Origin": "null"}, False),  # a sandboxed frame or a data: page
        ("POST", {}, True),  # neither header: not a browser (curl, a webhook)
    ],
)
def test_each_branch_of_the_origin_check(method, headers, allowed):
    reason = cross_origin_reason(method, Headers(headers), HOST, frozenset())

    assert (reason is None) is allowed


def test_an_origin_on_the_trusted_list_may_post_from_another_site():
    headers = Headers({"Sec-Fetch-Site": "cross-site", "Origin": "https://pay.example"})
    trusted = frozenset({"https://pay.example"})

    assert cross_origin_reason("POST", headers, HOST, trusted) is None
    assert cross_origin_reason("POST", headers, HOST, frozenset()) is not None


def _cart_page(client) -> str:
    return client.get("/cart").get_data(as_text=True)


def _add(client, shoe, **headers):
    data = {"variant_id": shoe.variants[0].id, "quantity": 1}
    return client.post("/cart/add", data=data, headers=headers)


def test_an_add_to_cart_from_another_site_is_refused_with_a_page_that_says_so(client, shoe):
    response = _add(
        client, shoe, **{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    )

    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "This form was sent from another site, so the shop did not act on it." in page
    assert "Storefront" in page  # the shop's own layout, not a bare error
    assert "cart_count" not in response.headers.get("Set-Cookie", "")
    assert "Trail Runner" not in _cart_page(client)


def test_an_add_to_cart_from_an_old_browser_on_another_site_is_refused(client, shoe):
    response = _add(client, shoe, Origin="https://evil.example")

    assert response.status_code == 403
    assert "Trail Runner" not in _cart_page(client)


def test_an_add_to_cart_from_the_shops_own_page_goes_in_without_any_token(client, shoe):
    response = _add(client, shoe, **{"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"})

    assert response.status_code == 302
    assert "Trail Runner" in _cart_page(client)


def test_an_old_browser_posting_from_the_shops_own_origin_is_let_through(client, shoe):
    assert _add(client, shoe, Origin="http://localhost").status_code == 302
    assert "Trail Runner" in _cart_page(client)


def test_a_logout_from_another_site_leaves_the_customer_signed_in(client, db, make, login_as):
    login_as(client, make.user(name="Ada Lovelace"))

    response = client.post("/logout", headers={"Sec-Fetch-Site": "cross-site"})

    assert response.status_code == 403
    account = client.get("/account")
    assert account.status_code == 200 and "Ada Lovelace" in account.get_data(as_text=True)


def test_a_logout_from_the_shops_own_page_signs_the_customer_out(client, db, make, login_as):
    login_as(client, make.user())

    response = client.post("/logout", headers={"Sec-Fetch-Site": "same-origin"})

    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # to the login page


def test_reading_a_page_from_a_link_on_another_site_is_allowed(client, shoe):
    response = client.get(f"/p/{shoe.slug}", headers={"Sec-Fetch-Site": "cross-site"})

    assert response.status_code == 200


def test_a_payment_providers_origin_on_the_trusted_list_may_post(app_with, shoe):
    other = app_with(CSRF_TRUSTED_ORIGINS=["https://pay.example"])
    client = other.test_client()
    headers = {"Sec-Fetch-Site": "cross-site", "Origin": "https://pay.example"}

    assert _add(client, shoe, **headers).status_code == 302
    assert _add(client, shoe, **{**headers, "Origin": "https://evil.example"}).status_code == 403


# Behind nginx the shop sees its own address in Host and the public one in X-Forwarded-Host.
PROXIED = {"Host": "127.0.0.1:8000", "X-Forwarded-Host": "localhost", "X-Forwarded-For": "10.0.0.9"}


def test_behind_a_trusted_proxy_the_forwarded_host_is_the_one_origin_is_compared_with(
    app_with, shoe
):
    client = app_with(TRUSTED_PROXIES=1).test_client()

    assert _add(client, shoe, Origin="http://localhost", **PROXIED).status_code == 302
    assert _add(client, shoe, Origin="http://127.0.0.1:8000", **PROXIED).status_code == 403


def test_without_the_proxy_setting_a_forwarded_host_is_not_believed(app_with, shoe):
    client = app_with(TRUSTED_PROXIES=0).test_client()

    assert _add(client, shoe, Origin="http://localhost", **PROXIED).status_code == 403
    assert _add(client, shoe, Origin="http://127.0.0.1:8000", **PROXIED).status_code == 302
