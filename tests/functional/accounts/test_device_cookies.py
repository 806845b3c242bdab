"""Failed logins from elsewhere cannot lock the owner out of a browser they have used before."""

import itertools

import pytest

from tests.factories import PASSWORD

_addresses = (f"10.{n // 250}.{n % 250}.7" for n in itertools.count(1))


def _from_anywhere() -> dict:
    """A new client address for each request, so the per-address limit never applies."""
    return {"REMOTE_ADDR": next(_addresses)}


@pytest.fixture
def ada(db, make):
    return make.user(email="ada@example.com", name="Ada")


@pytest.fixture
def adas_browser(app, log_in, post, ada):
    """A browser where Ada has logged in before (and logged out since)."""
    browser = app.test_client()
    assert log_in("ada@example.com", PASSWORD, on=browser).status_code == 302
    post("/logout", on=browser)
    return browser


def _attack(app, log_in, attempts: int, email: str = "ada@example.com") -> list[int]:
    attacker = app.test_client()
    return [
        log_in(email, f"guess {n}", on=attacker, environ_base=_from_anywhere()).status_code
        for n in range(attempts)
    ]


def test_a_login_leaves_a_signed_httponly_device_cookie_that_outlives_the_logout(
    app, log_in, post, ada
):
    browser = app.test_client()
    response = log_in("ada@example.com", PASSWORD, on=browser)

    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("device=")]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "ada@example.com" not in header
    post("/logout", on=browser)
    assert browser.get_cookie("device") is not None


def test_the_owner_logs_in_from_a_browser_used_before_while_others_are_locked_out(
    app, log_in, adas_browser
):
    assert _attack(app, log_in, 20) == [400] * 20

    stranger = log_in(
        "ada@example.com", PASSWORD, on=app.test_client(), environ_base=_from_anywhere()
    )
    owner = log_in("ada@example.com", PASSWORD, on=adas_browser, environ_base=_from_anywhere())

    assert stranger.status_code == 429  # brute force stays capped, even with the right password
    assert owner.status_code == 302
    assert adas_browser.get("/account").status_code == 200


def test_the_owner_is_mailed_once_when_the_account_is_locked(app, log_in, ada, smtp_server):
    statuses = _attack(app, log_in, 26)

    assert statuses == [400] * 20 + [429] * 6
    mails = smtp_server.wait(2, timeout=1.5)
    assert len(mails) == 1
    assert mails[0]["To"] == "ada@example.com"
    assert "Someone is trying to log in to your account" in mails[0]["Subject"]
    assert "/forgot-password" in mails[0].get_content()


def test_a_device_cookie_for_another_account_does_not_pass_the_lockout(
    app, log_in, post, ada, make
):
    make.user(email="bob@example.com")
    bobs_browser = app.test_client()
    log_in("bob@example.com", PASSWORD, on=bobs_browser)
    post("/logout", on=bobs_browser)
    _attack(app, log_in, 20)

    response = log_in("ada@example.com", PASSWORD, on=bobs_browser, environ_base=_from_anywhere())

    assert response.status_code == 429


def test_a_forged_device_cookie_does_not_pass_the_lockout(app, log_in, adas_browser):
    _attack(app, log_in, 20)
    forged = app.test_client()
    value = adas_browser.get_cookie("device").value
    forged.set_cookie("device", value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB"))

    response = log_in("ada@example.com", PASSWORD, on=forged, environ_base=_from_anywhere())

    assert response.status_code == 429


def test_a_browser_with_a_device_cookie_has_its_own_limit_on_wrong_passwords(
    app, log_in, adas_browser
):
    statuses = [
        log_in(
            "ada@example.com", f"guess {n}", on=adas_browser, environ_base=_from_anywhere()
        ).status_code
        for n in range(11)
    ]

    assert statuses == [400] * 10 + [429]
    # Its failures are its own: a browser without the cookie still gets its answers.
    assert _attack(app, log_in, 1) == [400]


def test_the_owner_can_ask_for_a_reset_link_after_strangers_used_up_the_account_limit(
    app, post, adas_browser, smtp_server
):
    stranger = app.test_client()
    statuses = [
        post(
            "/forgot-password",
            {"email": "ada@example.com"},
            on=stranger,
            environ_base=_from_anywhere(),
        ).status_code
        for _ in range(6)
    ]
    smtp_server.wait(6)

    owner = post(
        "/forgot-password",
        {"email": "ada@example.com"},
        on=adas_browser,
        environ_base=_from_anywhere(),
    )

    assert statuses == [302] * 5 + [429]
    assert owner.status_code == 302
    resets = [mail for mail in smtp_server.wait(7) if "Reset your password" in mail["Subject"]]
    assert len(resets) == 6
