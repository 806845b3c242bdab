"""Turn an outbox row into a MIME message and hand it to the SMTP server (MAIL_* settings)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate


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


@dataclass(frozen=True)
class Envelope:
    """What a worker needs of a claimed row to send it (plain values, no session)."""

    id: int
    recipient: str
    subject: str
    body_text: str
    body_html: str | None
    message_id: str


def build_message(envelope: Envelope, sender: str) -> EmailMessage:
    """Return the MIME message: plain text, with an HTML alternative when there is one."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = envelope.recipient
    message["Subject"] = envelope.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = envelope.message_id
    message.set_content(envelope.body_text)
    if envelope.body_html:
        message.add_alternative(envelope.body_html, subtype="html")
    return message


class SmtpConnection:
    """One SMTP session reused for a batch of messages, opened on first use; every wait bounded."""

    def __init__(self, server: SmtpServer) -> None:
        self._server = server
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Send `message`; raise OSError or SMTPException if the server does not take it."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise  # the session is still good for the next message
        except (OSError, smtplib.SMTPException):
            self.close()  # a broken session is not reused
            raise

    def _connect(self) -> smtplib.SMTP:
        server = self._server
        smtp_class = smtplib.SMTP_SSL if server.use_ssl else smtplib.SMTP
        smtp = smtp_class(server.host, server.port, timeout=server.timeout)
        try:
            if server.use_tls:
                smtp.starttls()
            if server.username:
                smtp.login(server.username, server.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        """End the SMTP session, politely if the server still answers."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
