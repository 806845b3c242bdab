import pytest
from flask import url_for

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _unsafe_routes(app) -> list[tuple[str, str]]:
    """Return (method, url) for every route that changes state, with dummy URL values."""
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            for method in sorted(rule.methods & UNSAFE_METHODS):
                values = dict.fromkeys(rule.arguments, 1)
                routes.append((method, url_for(rule.endpoint, **values)))
    return routes


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},  # a browser from before Sec-Fetch-Site
    ],
)
def test_every_route_that_changes_state_refuses_a_request_from_another_site(
    app, client, login_as, make, db, headers
):
    routes = _unsafe_routes(app)
    # Signed in as an admin, so no route can turn the request away for another reason first.
    login_as(client, make.admin())

    assert ("POST", "/logout") in routes and ("POST", "/login") in routes
    for method, url in routes:
        response = client.open(url, method=method, data={"email": "x@example.com"}, headers=headers)
        assert response.status_code == 403, f"{method} {url} answered {response.status_code}"
        assert "sent from another site" in response.get_data(as_text=True)
    # The admin is still signed in: nothing was done on the forged requests' behalf.
    assert client.get("/account").status_code == 200


def _assert_security_headers(response):
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_security_headers_are_on_a_normal_page(client, db):
    response = client.get("/login")

    assert response.status_code == 200
    _assert_security_headers(response)


def test_the_security_headers_are_on_a_404(client, db):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    _assert_security_headers(response)


def test_the_security_headers_are_on_a_500_and_no_traceback_is_shown(app, client, db):
    @app.get("/_test/explode")
    def explode():
        raise RuntimeError("secret internals")

    response = client.get("/_test/explode")

    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Something went wrong" in response.get_data(as_text=True)
    _assert_security_headers(response)


def test_hsts_is_sent_only_when_https_is_configured(app, client, db):
    assert "Strict-Transport-Security" not in client.get("/login").headers

    app.config["SESSION_COOKIE_SECURE"] = True

    assert "max-age=" in client.get("/login").headers["Strict-Transport-Security"]


@pytest.mark.parametrize("path", ["/login", "/register", "/forgot-password", "/account"])
def test_account_pages_have_no_inline_script(client, login_as, make, db, path):
    if path == "/account":
        login_as(client, make.user())

    html = client.get(path).get_data(as_text=True)

    assert "<script>" not in html and " onclick=" not in html and "javascript:" not in html


def test_a_body_over_the_size_limit_gets_the_413_page(app, client, db):
    app.config["MAX_CONTENT_LENGTH"] = 1024

    response = client.post("/login", data={"email": "x" * 4096})

    assert response.status_code == 413
    assert "larger than the shop accepts" in response.get_data(as_text=True)
    _assert_security_headers(response)
