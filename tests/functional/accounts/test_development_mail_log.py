"""Without a mail server, development writes each mail's plain text to the log, links intact."""

from __future__ import annotations

import logging
import re

from storefront.outbox.worker import send_due_messages


def test_the_development_log_shows_a_reset_link_that_can_be_copied(
    client, post, make, db, app, caplog
):
    make.user(email="ada@example.com", name="Ada")
    post("/forgot-password", {"email": "ada@example.com"})

    with caplog.at_level(logging.INFO, logger="storefront.outbox.worker"):
        assert send_due_messages(app.config) == 1

    [logged] = [r.getMessage() for r in caplog.records if "Mail not sent" in r.getMessage()]
    assert "To: ada@example.com" in logged and "Subject: Reset your password" in logged
    assert "=\n" not in logged and "=3D" not in logged  # plain text, not quoted-printable
    path = re.search(r"http://localhost(/reset-password/\S+)", logged).group(1)
    page = client.get(path)
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)


def test_production_without_a_mail_server_keeps_its_mail_queued_and_out_of_the_log(
    post, make, db, app, caplog
):
    make.user(email="ada@example.com", name="Ada")
    post("/forgot-password", {"email": "ada@example.com"})
    app.config["ENV_NAME"] = "production"

    with caplog.at_level(logging.INFO, logger="storefront.outbox.worker"):
        assert send_due_messages(app.config) == 0

    assert "reset-password" not in caplog.text
