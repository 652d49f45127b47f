"""Where outbox messages go. One interface, ``Sender.send(message)``; the configured
``NOTIFY_SENDER`` picks the adapter:

``outbox`` (default)  nothing leaves the site: the outbox row is the record
``sms``               an HTTP SMS gateway: ``NOTIFY_SMS_URL`` and ``NOTIFY_SMS_TOKEN``
``email``             SMTP: ``NOTIFY_SMTP_HOST``, ``NOTIFY_SMTP_PORT``, ``NOTIFY_SMTP_USER``,
                      ``NOTIFY_SMTP_PASSWORD``, ``NOTIFY_MAIL_FROM``

Credentials come from the environment (``GONGZHI_NOTIFY_*``), never from the repository.
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage


class SendError(Exception):
    """The message could not be delivered; the text says why without any personal value."""


@dataclass(frozen=True)
class Outgoing:
    """What a sender gets: the recipient's address and the sentence in their language."""

    phone: str | None
    email: str | None
    text: str


class Sender:
    name = "outbox"

    def send(self, message: Outgoing) -> None:
        """Deliver ``message`` or raise ``SendError``."""


class OutboxOnlySender(Sender):
    """Keeps every message in the outbox table, for a site without an SMS or mail account."""

    name = "outbox"


class SmsSender(Sender):
    """Posts ``{"to", "text"}`` as JSON to a gateway with a bearer token."""

    name = "sms"

    def __init__(self, url: str, token: str, timeout: float = 10.0):
        if not url or not token:
            raise ValueError("NOTIFY_SMS_URL and NOTIFY_SMS_TOKEN must both be set for SMS")
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, message: Outgoing) -> None:
        if not message.phone:
            raise SendError("no phone number on the account")
        body = json.dumps({"to": message.phone, "text": message.text}).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if response.status >= 300:
                    raise SendError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SendError(f"gateway unreachable: {type(exc).__name__}") from exc


class EmailSender(Sender):
    name = "email"

    def __init__(self, host: str, port: int, user: str, password: str, sender: str):
        if not host or not sender:
            raise ValueError("NOTIFY_SMTP_HOST and NOTIFY_MAIL_FROM must be set for e-mail")
        self.host, self.port, self.user, self.password = host, int(port), user, password
        self.sender = sender

    def send(self, message: Outgoing) -> None:
        if not message.email:
            raise SendError("no e-mail address on the account")
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.email, "共治 Gongzhi"
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
                smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"mail server refused: {type(exc).__name__}") from exc


def sender_from_config(config) -> Sender:
    choice = config.get("NOTIFY_SENDER", "outbox")
    if choice == "outbox":
        return OutboxOnlySender()
    if choice == "sms":
        return SmsSender(config.get("NOTIFY_SMS_URL", ""), config.get("NOTIFY_SMS_TOKEN", ""))
    if choice == "email":
        return EmailSender(
            config.get("NOTIFY_SMTP_HOST", ""), config.get("NOTIFY_SMTP_PORT", 587),
            config.get("NOTIFY_SMTP_USER", ""), config.get("NOTIFY_SMTP_PASSWORD", ""),
            config.get("NOTIFY_MAIL_FROM", ""),
        )
    raise ValueError(f"NOTIFY_SENDER must be outbox, sms or email, not {choice!r}")
