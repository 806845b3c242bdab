"""Page numbers, record ids and dates are read within what every database can hold."""

from __future__ import annotations

from datetime import date

import pytest

from storefront.params import (
    MAX_PAGE,
    MAX_RECORD_ID,
    InvalidParameter,
    day_end,
    parse_date,
    parse_page,
    parse_record_id,
)


def test_an_empty_page_argument_means_the_first_page():
    assert parse_page(None) == 1
    assert parse_page("  ") == 1
    assert parse_page(" 3 ") == 3


@pytest.mark.parametrize(
    "text", ["0", "-1", "9223372036854775807", str(MAX_PAGE + 1), "2.5", "two", "²", "1e3"]
)
def test_a_page_out_of_range_or_not_a_whole_number_is_refused_with_its_range(text):
    with pytest.raises(InvalidParameter, match=f"from 1 to {MAX_PAGE}") as refused:
        parse_page(text)
    assert refused.value.status == 400 and refused.value.field == "page"


def test_a_record_id_is_read_or_left_out():
    assert parse_record_id("", "user") is None
    assert parse_record_id("42", "user") == 42
    assert parse_record_id(str(MAX_RECORD_ID), "user") == MAX_RECORD_ID


@pytest.mark.parametrize(
    "text", ["0", "-1", str(MAX_RECORD_ID + 1), "9223372036854775808", "99999999999999999999"]
)
def test_a_record_id_no_record_can_have_is_refused(text):
    with pytest.raises(InvalidParameter, match="“user” must be a whole number"):
        parse_record_id(text, "user")


def test_a_date_is_read_and_its_whole_day_can_be_included():
    assert parse_date("2026-03-01", "from") == date(2026, 3, 1)
    assert parse_date("", "from") is None
    assert day_end(date(2026, 3, 1)).isoformat() == "2026-03-02T00:00:00+00:00"


@pytest.mark.parametrize(
    "text", ["9999-12-31", "0000-00-00", "0999-12-31", "2026-02-30", "20260301", "yesterday"]
)
def test_a_date_the_databases_cannot_hold_or_that_does_not_exist_is_refused(text):
    with pytest.raises(InvalidParameter, match=r"“to” must be a date \(YYYY-MM-DD\)"):
        parse_date(text, "to")
