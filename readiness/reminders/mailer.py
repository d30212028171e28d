"""E-mail delivery of digests: SMTP (host, port, STARTTLS, login, sender) or printed (dry run)."""

from __future__ import annotations

import smtplib
import ssl
import sys
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Protocol, TextIO

from readiness.config import Settings
from readiness.reminders.digest import Digest

SMTP_TIMEOUT_S = 30


class DeliveryError(Exception):
    """A digest could not be handed to the mail server; its reminders stay queued."""


class Mailer(Protocol):
    """Something that delivers a digest or raises DeliveryError."""

    def send(self, digest: Digest, now: datetime) -> None:
        """Deliver one digest."""


def build_message(digest: Digest, sender: str, now: datetime) -> EmailMessage:
    """The e-mail of a digest: plain text, one recipient."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = digest.recipient
    message["Subject"] = digest.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(digest.body)
    return message


class SmtpMailer:
    """Delivers through an SMTP server as READINESS_SMTP_* settings say."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, digest: Digest, now: datetime) -> None:
        """Connect, optionally STARTTLS and log in, send, disconnect."""
        s = self.settings
        message = build_message(digest, s.smtp_from, now)
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
                if s.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            where = f"{s.smtp_host}:{s.smtp_port}"
            raise DeliveryError(f"SMTP {where}: {type(error).__name__}: {error}") from error


class PrintMailer:
    """Prints each digest instead of sending it (--dry-run)."""

    def __init__(self, sender: str, out: TextIO | None = None) -> None:
        self.sender = sender
        self.out = out

    def send(self, digest: Digest, now: datetime) -> None:
        """Write the message as it would be sent."""
        out = self.out or sys.stdout
        message = build_message(digest, self.sender, now)
        # Headers and the text as read, not the wire form: quoted-printable would show
        # "·" as "=C2=B7" and break long lines with "=".
        for name in ("From", "To", "Subject", "Date"):
            print(f"{name}: {message[name]}", file=out)
        print(file=out)
        print(digest.body.rstrip("\n"), file=out)
        print("-" * 72, file=out)
