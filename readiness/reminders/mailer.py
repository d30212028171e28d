"""E-mail delivery of digests: SMTP (host, port, STARTTLS, login, sender) or printed (dry run)."""

from __future__ import annotations

import sys
from datetime import datetime
from email.charset import QP, Charset
from email.message import Message
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING, Protocol, TextIO

from readiness.config import Settings
from readiness.reminders.digest import Digest

if TYPE_CHECKING:
    import smtplib

SMTP_TIMEOUT_S = 30

# UTF-8 text as quoted-printable: 7-bit safe for any mail server, and the body keeps its
# "·" and long lines. One Charset for every message: building it is part of the cost.
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
# Headers shown by the dry run, in this order.
SHOWN = ("From", "To", "Subject", "Date")


class DeliveryError(Exception):
    """A digest could not be handed to the mail server; its reminders stay queued."""


class Mailer(Protocol):
    """Something that delivers a digest or raises DeliveryError; closed after each delivery."""

    def send(self, digest: Digest, now: datetime) -> None:
        """Deliver one digest."""

    def close(self) -> None:
        """Let go of whatever the sends of one delivery kept open."""


def build_message(digest: Digest, sender: str, now: datetime) -> Message:
    """The e-mail of a digest: plain text, one recipient.

    Built as a classic `email.message.Message`: a pass builds hundreds of these, and the
    modern `EmailMessage` parses every header it is given (about 0.5 ms a message against
    0.02 ms this way). Our headers are plain addresses and ASCII text; the one check that
    parsing gave, no line break smuggled into a header, is made here.
    """
    headers = {
        "From": sender,
        "To": digest.recipient,
        "Subject": digest.subject,
        "Date": format_datetime(now),
        "Message-ID": make_msgid(domain=sender.rpartition("@")[2] or None),
    }
    for name, value in headers.items():
        if "\n" in value or "\r" in value:
            raise DeliveryError(f"the {name} header holds a line break: {value!r}")
    message = Message()
    for name, value in headers.items():
        message[name] = value
    # Adds MIME-Version, Content-Type text/plain; charset="utf-8" and the encoding.
    message.set_payload(digest.body, _UTF8_QP)
    return message


class SmtpMailer:
    """Delivers through an SMTP server as READINESS_SMTP_* settings say.

    One connection serves every digest of a delivery: connecting, STARTTLS and logging in
    once per digest cost a pass of hundreds of digests more than the sending. Before each
    digest the server is asked whether the connection still stands (NOOP); a connection
    it closed is opened again then, before anything is sent, so no digest goes twice.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, digest: Digest, now: datetime) -> None:
        """Send over the open connection (or a new one); any failure closes it."""
        # Only a real delivery needs smtplib (a dry run never loads it).
        import smtplib

        s = self.settings
        message = build_message(digest, s.smtp_from, now)
        try:
            self._connection().send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            where = f"{s.smtp_host}:{s.smtp_port}"
            raise DeliveryError(f"SMTP {where}: {type(error).__name__}: {error}") from error

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        import smtplib

        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connection(self) -> smtplib.SMTP:
        """The open connection while the server answers it, else a new one."""
        import smtplib
        import ssl

        if self._smtp is not None:
            try:
                if self._smtp.noop()[0] == 250:
                    return self._smtp
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp.close()
            self._smtp = None
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT_S)
        try:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp


class PrintMailer:
    """Prints each digest instead of sending it (--dry-run)."""

    def __init__(self, sender: str, out: TextIO | None = None) -> None:
        self.sender = sender
        self.out = out

    def close(self) -> None:
        """Nothing to let go of."""

    def send(self, digest: Digest, now: datetime) -> None:
        """Write the message as it would be sent, or why it could not be."""
        out = self.out or sys.stdout
        try:
            message = build_message(digest, self.sender, now)
        except DeliveryError as error:
            out.write(f"Not deliverable: {error}\n{'-' * 72}\n")
            return
        # Headers and the text as read, not the wire form: quoted-printable would show
        # "·" as "=C2=B7" and break long lines with "=".
        shown = [f"{name}: {message[name]}" for name in SHOWN]
        out.write("\n".join([*shown, "", digest.body.rstrip("\n"), "-" * 72]) + "\n")
