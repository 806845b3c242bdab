"""Send mail through SMTP (MAIL_* settings); without MAIL_SERVER, write it to the log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; return False (and log) if the SMTP server fails."""
    settings = current_app.config
    if not settings["MAIL_SERVER"] and settings.get("ENV_NAME") == "production":
        # Never the body: it may hold a password-reset link or an address.
        log.warning("Mail %r to %s not sent: no MAIL_SERVER configured", subject, to)
        return True
    message = EmailMessage()
    message["From"] = f"{settings['STOREFRONT_NAME']} <{settings['MAIL_DEFAULT_SENDER']}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings["MAIL_DEFAULT_SENDER"].split("@")[-1])
    message.set_content(body)

    if not settings["MAIL_SERVER"]:
        log.info("Mail not sent (no MAIL_SERVER configured):\n%s", message.as_string())
        return True
    smtp_class = smtplib.SMTP_SSL if settings["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(
            settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=settings["MAIL_TIMEOUT"]
        ) as smtp:
            if settings["MAIL_USE_TLS"]:
                smtp.starttls()
            if settings["MAIL_USERNAME"]:
                smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send mail %r to %s", subject, to)
        return False
    return True
