import pytest

from storefront.accounts.redirects import safe_next_url


@pytest.mark.parametrize(
    "value",
    ["/", "/account", "/cart?added=1", "/products/red-shoe#reviews", "/admin/orders?page=2"],
)
def test_a_relative_path_on_this_site_is_followed(value):
    assert safe_next_url(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example",
        "http://evil.example/account",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,hi",
        "evil.example",
        "account",
        "/\t/evil.example",
        "/\n/evil.example",
        "",
        None,
        "/" + "a" * 3000,
    ],
)
def test_anything_that_could_leave_the_site_is_refused(value):
    assert safe_next_url(value) is None
