"""Pages build each link once per process; a link still follows where the shop is mounted."""

from __future__ import annotations

import re

from flask import render_template_string


def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]+)"', html)


def test_a_shop_mounted_under_a_path_links_under_that_path_after_a_page_served_at_the_root(
    client, db
):
    at_root = client.get("/cart").get_data(as_text=True)
    under_shop = client.get("/cart", base_url="http://localhost/shop").get_data(as_text=True)
    at_root_again = client.get("/cart").get_data(as_text=True)

    shop_links = [href for href in _hrefs(under_shop) if href.startswith("/")]
    assert shop_links and all(href.startswith("/shop/") for href in shop_links)
    assert not any(href.startswith("/shop/") for href in _hrefs(at_root))
    assert _hrefs(at_root_again) == _hrefs(at_root)


def test_the_same_link_with_other_values_is_built_for_those_values(app, db):
    template = "{{ url_for('catalog.product', slug=slug) }} {{ url_for('cart.view', page=2) }}"
    with app.test_request_context("/"):
        first = render_template_string(template, slug="trail-runner")
        second = render_template_string(template, slug="winter-boot")

    assert first == "/p/trail-runner /cart?page=2"
    assert second == "/p/winter-boot /cart?page=2"


def test_a_true_flag_and_the_number_one_give_their_own_links(app, db):
    template = "{{ url_for('cart.view', gift=flag) }}"
    with app.test_request_context("/"):
        as_number = render_template_string(template, flag=1)
        as_flag = render_template_string(template, flag=True)

    assert as_number == "/cart?gift=1"
    assert as_flag == "/cart?gift=True"


def test_external_links_name_the_host_each_request_came_to(app, db):
    template = "{{ url_for('catalog.home', _external=True) }}"
    with app.test_request_context("/", base_url="https://shop.example.com"):
        first = render_template_string(template)
    with app.test_request_context("/", base_url="https://other.example.org"):
        second = render_template_string(template)

    assert first == "https://shop.example.com/"
    assert second == "https://other.example.org/"


def test_static_links_carry_the_files_version(client, db):
    html = client.get("/cart").get_data(as_text=True)

    assert re.search(r'href="/static/css/shop\.css\?v=[0-9a-f]{12}"', html)
