import re
import time

from itsdangerous import TimestampSigner

from tests.factories import PASSWORD

from .conftest import error_beside, page_text

NEW_PASSWORD = "purple elephant juggles 7 kettles"
SAME_ANSWER = "If an account uses that address, we have emailed it a link"


def _link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/reset-password/\S+)", body).group(1)


def test_the_reset_email_really_arrives_at_the_local_smtp_server(post, make, db, smtp_server):
    make.user(email="ada@example.com", name="Ada")

    response = post("/forgot-password", {"email": "ADA@example.com"}, follow_redirects=True)

    assert SAME_ANSWER in page_text(response)
    [message] = smtp_server.wait(1)
    assert message["To"] == "ada@example.com"
    assert message["Subject"].startswith("Reset your password")
    assert "works once, within one hour" in message.get_content()
    assert _link_in(message).startswith("/reset-password/")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(post, db, smtp_server):
    response = post("/forgot-password", {"email": "nobody@example.com"}, follow_redirects=True)

    assert SAME_ANSWER in page_text(response)
    assert smtp_server.wait(1, timeout=0.5) == []  # mail goes out after the response


def test_a_reset_link_works_once_not_twice(client, post, log_in, make, db, smtp_server):
    make.user(email="ada@example.com")
    post("/forgot-password", {"email": "ada@example.com"})
    link = _link_in(smtp_server.wait(1)[0])

    assert client.get(link).status_code == 200
    first = post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    second = client.get(link, follow_redirects=True)

    assert first.status_code == 302 and first.headers["Location"] == "/login"
    assert "This reset link is invalid, has expired or has already been used." in page_text(second)
    assert log_in("ada@example.com", PASSWORD).status_code == 400
    assert log_in("ada@example.com", NEW_PASSWORD).status_code == 302


def test_a_reset_link_does_not_work_after_an_hour(
    client, post, log_in, make, db, smtp_server, monkeypatch
):
    make.user(email="ada@example.com")
    issued = int(time.time()) - 3601
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        post("/forgot-password", {"email": "ada@example.com"})
        link = _link_in(smtp_server.wait(1)[0])

    response = post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/forgot-password"
    assert log_in("ada@example.com", PASSWORD).status_code == 302


def test_setting_a_new_password_through_a_link_ends_the_other_sessions(
    app, client, post, log_in, make, db, smtp_server
):
    make.user(email="ada@example.com")
    laptop = app.test_client()
    log_in("ada@example.com", PASSWORD, on=laptop)
    assert laptop.get("/account").status_code == 200

    post("/forgot-password", {"email": "ada@example.com"})
    link = _link_in(smtp_server.wait(1)[0])
    post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert laptop.get("/account").status_code == 302


def test_a_weak_new_password_is_refused_beside_the_field(client, post, make, db, smtp_server):
    make.user(email="ada@example.com")
    post("/forgot-password", {"email": "ada@example.com"})
    link = _link_in(smtp_server.wait(1)[0])

    response = post(link, {"password": "short", "password_again": "short"})

    assert response.status_code == 422
    assert error_beside(response, "password") == "Use at least 10 characters."
