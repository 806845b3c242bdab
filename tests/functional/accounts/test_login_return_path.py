"""After logging in, a visitor returns to the page they were on, never to a POST-only URL."""

from urllib.parse import parse_qs, urlsplit


def _next_of(response) -> str | None:
    return parse_qs(urlsplit(response.headers["Location"]).query).get("next", [None])[0]


def test_a_guest_opening_a_private_page_returns_to_it_after_login(client):
    response = client.get("/orders?page=2")
    assert response.status_code == 302
    assert _next_of(response) == "/orders?page=2"


def test_a_guest_posting_a_private_form_returns_to_the_page_the_form_was_on(client):
    response = client.post(
        "/checkout/place",
        data={},
        headers={"Referer": "http://localhost/checkout"},
    )
    assert response.status_code == 302
    assert _next_of(response) == "/checkout"


def test_a_referer_from_another_site_is_not_followed(client):
    response = client.post(
        "/checkout/place",
        data={},
        headers={"Referer": "https://evil.example/checkout"},
    )
    assert response.status_code == 302
    assert _next_of(response) is None
