"""The owner sees mail that could not be sent, with its error, and sends it again."""

from __future__ import annotations

import socket

from sqlalchemy import select

from storefront.mail import send_mail
from storefront.outbox.models import OutboxMessage
from storefront.outbox.worker import send_due_messages


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _failed_message(app, db) -> OutboxMessage:
    port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=_closed_port(), OUTBOX_MAX_ATTEMPTS=2, OUTBOX_BACKOFF_SECONDS=0)
    send_mail("ada@example.com", "Your order ABC123", "Thanks")
    send_due_messages(app.config)
    send_due_messages(app.config)
    app.config["MAIL_PORT"] = port
    db.session.rollback()
    return db.session.scalar(select(OutboxMessage))


def test_a_message_the_mail_server_refused_shows_as_failed_with_its_error(
    admin_client, app, db, smtp_inbox
):
    message = _failed_message(app, db)

    page = admin_client.get("/admin/outbox").get_data(as_text=True)

    assert message.status == "failed" and message.attempts == 2
    assert "Your order ABC123" in page and "ada@example.com" in page
    assert "Failed: <strong>1</strong>" in page
    assert "ConnectionRefusedError" in page
    assert "Retry now" in page


def test_the_retry_button_sends_a_failed_message(admin_client, app, db, smtp_inbox):
    message = _failed_message(app, db)

    response = admin_client.post(f"/admin/outbox/{message.id}/retry", data={})
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The message to ada@example.com is queued again." in page
    send_due_messages(app.config)

    [mail] = smtp_inbox.wait(1)
    assert mail["Subject"] == "Your order ABC123"
    sent = admin_client.get("/admin/outbox?status=sent").get_data(as_text=True)
    assert "Your order ABC123" in sent
    assert "Your order ABC123" not in admin_client.get("/admin/outbox").get_data(as_text=True)


def test_retrying_a_message_that_does_not_exist_says_so(admin_client, db):
    response = admin_client.post("/admin/outbox/12345/retry", follow_redirects=True)
    assert response.status_code == 200
    assert "That message is not in the outbox." in response.get_data(as_text=True)
    # An id no database key can hold is no page at all.
    assert admin_client.post("/admin/outbox/99999999999999999999/retry").status_code == 404


def test_customers_cannot_see_the_outbox(client, login_as, make, db):
    login_as(client, make.user())
    assert client.get("/admin/outbox").status_code == 403


def test_odd_filters_give_the_list_not_an_error(admin_client, app, db):
    _failed_message(app, db)
    for query in ("?message_id=1&_external=1", "?status=nope&to=ada"):
        response = admin_client.get(f"/admin/outbox{query}")
        assert response.status_code == 200, query
    for query in ("?status=%00&to=%00ada", "?page=abc"):
        response = admin_client.get(f"/admin/outbox{query}")
        assert response.status_code == 400, query
