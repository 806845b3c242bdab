"""Send mail through SMTP (MAIL_* settings) after the response; without MAIL_SERVER, log it.

The message is built during the request, from the app's settings, and handed to the app's
outbox: one background thread per process that talks to the SMTP server. A customer placing an
order or asking for a password reset does not wait on the mail server (a slow or unreachable one
costs up to MAIL_TIMEOUT seconds), and a reset for a known address answers as fast as one for
an unknown address. Python waits for the outbox's thread when the process exits, so a queued
message is still sent when a worker is stopped or recycled.
"""

from __future__ import annotations

import logging
import os
import smtplib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask, current_app

log = logging.getLogger(__name__)
_OUTBOX = "storefront.mail_outbox"


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand over mail: a copy of the MAIL_* settings, safe to use off-request."""

    host: str
    port: int
    timeout: int
    use_ssl: bool
    use_tls: bool
    username: str | None
    password: str | None

    @classmethod
    def from_settings(cls, settings) -> SmtpServer:
        """Return the server named by MAIL_SERVER and its companions."""
        return cls(
            host=settings["MAIL_SERVER"],
            port=settings["MAIL_PORT"],
            timeout=settings["MAIL_TIMEOUT"],
            use_ssl=settings["MAIL_USE_SSL"],
            use_tls=settings["MAIL_USE_TLS"],
            username=settings["MAIL_USERNAME"],
            password=settings["MAIL_PASSWORD"],
        )


def send_mail(to: str, subject: str, body: str) -> Future | None:
    """Queue a plain-text message for sending; return its delivery (True once sent), if any."""
    settings = current_app.config
    if not settings["MAIL_SERVER"] and settings.get("ENV_NAME") == "production":
        # Never the body: it may hold a password-reset link or an address.
        log.warning("Mail %r to %s not sent: no MAIL_SERVER configured", subject, to)
        return None
    message = EmailMessage()
    message["From"] = f"{settings['STOREFRONT_NAME']} <{settings['MAIL_DEFAULT_SENDER']}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings["MAIL_DEFAULT_SENDER"].split("@")[-1])
    message.set_content(body)

    if not settings["MAIL_SERVER"]:
        log.info("Mail not sent (no MAIL_SERVER configured):\n%s", message.as_string())
        return None
    return _outbox(current_app._get_current_object()).submit(
        deliver, SmtpServer.from_settings(settings), message
    )


def deliver(server: SmtpServer, message: EmailMessage) -> bool:
    """Hand `message` to the SMTP server now; return False (and log) if it fails."""
    smtp_class = smtplib.SMTP_SSL if server.use_ssl else smtplib.SMTP
    try:
        with smtp_class(server.host, server.port, timeout=server.timeout) as smtp:
            if server.use_tls:
                smtp.starttls()
            if server.username:
                smtp.login(server.username, server.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send mail %r to %s", message["Subject"], message["To"])
        return False
    return True


def _outbox(app: Flask) -> ThreadPoolExecutor:
    # One per app and process: an outbox made before a fork has no thread in the child.
    pid, outbox = app.extensions.get(_OUTBOX, (None, None))
    if pid != os.getpid():
        outbox = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storefront-mail")
        app.extensions[_OUTBOX] = (os.getpid(), outbox)
    return outbox
