"""The 429 page tells how long to wait the way a customer would say it, rounded up."""

from __future__ import annotations

import pytest

from storefront.web.errors import wait_phrase


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3000, "50 minutes"),
        (3599, "60 minutes"),
        (3600, "1 hour"),
        (3601, "2 hours"),
    ],
)
def test_a_wait_is_told_in_the_largest_whole_unit_rounded_up(seconds, phrase):
    assert wait_phrase(seconds) == phrase
