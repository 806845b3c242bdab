"""Money is integer cents, formatted only at the edge."""

import pytest

from storefront.money import format_amount, format_money, parse_amount


@pytest.mark.parametrize(
    ("cents", "currency", "shown"),
    [
        (0, "EUR", "€0.00"),
        (499, "EUR", "€4.99"),
        (123456, "USD", "$1,234.56"),
        (-250, "GBP", "-£2.50"),
    ],
)
def test_cents_are_shown_with_the_currency_symbol_and_two_decimals(cents, currency, shown):
    assert format_money(cents, currency) == shown


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12,50", 1250),
        (" 0.99 ", 99),
        ("abc", None),
        ("1.234", None),
        ("-3", None),
        ("", None),
    ],
)
def test_decimal_text_is_parsed_into_cents_or_refused(text, cents):
    assert parse_amount(text) == cents


def test_amounts_for_forms_and_csv_have_no_symbol():
    assert format_amount(120050) == "1200.50"
