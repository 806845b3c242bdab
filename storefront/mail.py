"""Send mail: `send_mail` writes the message to the outbox, and `flask worker` sends it.

The message is written in the caller's open write transaction, so it is committed with the
change that causes it or not at all; called outside one, it commits on its own. Nobody waits
on the mail server: the worker (storefront/outbox/worker.py) hands messages to SMTP, or,
without MAIL_SERVER outside production, writes their plain text to the log.
"""

from __future__ import annotations

from flask import current_app

from storefront.outbox.services import queue_message


def send_mail(
    to: str, subject: str, body: str, *, html: str | None = None, key: str | None = None
) -> None:
    """Queue a message (plain text, optionally an HTML alternative) for the worker to send.

    `key` names the event ("order-confirmation:<order id>"): a second message with the same
    key is not queued. Its part before the first colon is the message's kind.
    """
    settings = current_app.config
    queue_message(
        key.split(":", 1)[0] if key else "mail",
        to,
        subject,
        body,
        body_html=html,
        key=key,
        sender_domain=settings["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "storefront.local",
    )
