import re

from tests.factories import PASSWORD

from .conftest import page_text

UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600}


def _wait(response) -> tuple[int, str]:
    """Return the wait the 429 page asks for, in seconds, and the unit it is told in."""
    found = re.search(
        r"Please wait (\d+) (second|minute|hour)s? before you try again", page_text(response)
    )
    assert found, page_text(response)
    return int(found.group(1)) * UNIT_SECONDS[found.group(2)], found.group(2)


def test_the_11th_login_attempt_in_a_minute_gets_429(log_in, make, db):
    make.user(email="ada@example.com")
    statuses = [log_in(f"guess{n}@example.com", "wrong password").status_code for n in range(10)]

    eleventh = log_in("ada@example.com", PASSWORD)

    assert statuses == [400] * 10
    assert eleventh.status_code == 429
    assert "Too many attempts" in page_text(eleventh)
    assert 0 < _wait(eleventh)[0] <= 60
    assert 0 < int(eleventh.headers["Retry-After"]) <= 60


def test_the_21st_login_attempt_on_one_account_in_an_hour_gets_429_from_any_address(
    log_in, make, db
):
    make.user(email="ada@example.com")
    statuses = [
        log_in("ada@example.com", "wrong", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
        for n in range(20)
    ]

    twenty_first = log_in("ADA@example.com", PASSWORD, environ_base={"REMOTE_ADDR": "10.0.1.1"})
    other_account = log_in("bob@example.com", "wrong", environ_base={"REMOTE_ADDR": "10.0.1.2"})

    assert statuses == [400] * 20
    assert twenty_first.status_code == 429
    # An hourly limit is told in minutes (or as "1 hour" right after the first attempt), not
    # as thousands of seconds.
    assert _wait(twenty_first)[1] in {"minute", "hour"}
    assert 60 < _wait(twenty_first)[0] <= 3600
    assert 60 < int(twenty_first.headers["Retry-After"]) <= 3600
    assert other_account.status_code == 400


def test_showing_the_login_page_is_not_counted_as_an_attempt(client, db):
    assert all(client.get("/login").status_code == 200 for _ in range(15))


def test_registration_is_rate_limited(post, db):
    statuses = [
        post("/register", {"name": "", "email": f"n{n}@example.com"}).status_code for n in range(6)
    ]

    assert statuses == [422] * 5 + [429]


def test_password_reset_requests_are_rate_limited(post, db):
    statuses = [
        post("/forgot-password", {"email": "ada@example.com"}).status_code for _ in range(6)
    ]

    assert statuses == [302] * 5 + [429]


def test_every_rate_limit_is_on_a_post_so_page_views_may_skip_them(app):
    # storefront.extensions lets GET/HEAD/OPTIONS skip Flask-Limiter; a limit on a page view
    # would then never count. This keeps the two in step.
    from flask_limiter.util import get_qualified_name

    from storefront.extensions import limiter

    limited = {}
    for endpoint, view in app.view_functions.items():
        for limit in limiter.limit_manager.decorated_limits(get_qualified_name(view)):
            limited.setdefault(endpoint, set()).update(limit.methods or ["every method"])
    assert limited, "no rate limits found: the check would pass for nothing"
    assert {endpoint: methods - {"post"} for endpoint, methods in limited.items()} == {
        endpoint: set() for endpoint in limited
    }
    assert not limiter.limit_manager.default_limits
    assert not limiter.limit_manager.application_limits
