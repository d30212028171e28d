"""A digest sent over SMTP arrives as composed: headers, "·", accents and long lines intact.

The message is built cheaply (a classic `email.message.Message`), so these checks read it
back the way a mail client does, from a real SMTP server, and check that no header can
carry a line break into the message.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

import pytest
from reminder_world import ANA, SENDER, mailer

from readiness.reminders.digest import Digest, DigestLine, compose_digest
from readiness.reminders.mailer import DeliveryError, PrintMailer

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
LONG = "Réglage du laser · " + "vérifier la fibre et le pédalier avant chaque séance " * 3


def _digest() -> Digest:
    lines = [DigestLine("equipment", "AUS1 · laser L-1: service due", LONG)]
    return compose_digest(ANA, lines, (7, "ab" * 32))


def test_headers_and_body_arrive_as_composed(smtp_server: SmtpServer) -> None:
    digest = _digest()
    mailer(smtp_server.port).send(digest, NOW)

    (received,) = smtp_server.messages
    message = received.message
    assert received.sender == SENDER and received.recipients == (ANA,)
    assert (message["From"], message["To"]) == (SENDER, ANA)
    assert message["Subject"] == digest.subject
    assert parsedate_to_datetime(message["Date"]) == NOW
    assert message["Message-ID"].endswith("@clinic.test>")
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert received.body == digest.body
    assert "vérifier la fibre" in received.body and "AUS1 · laser" in received.body


def test_the_wire_form_is_seven_bit_and_lines_stay_short(smtp_server: SmtpServer) -> None:
    mailer(smtp_server.port).send(_digest(), NOW)
    (received,) = smtp_server.messages
    wire = received.message.as_bytes()
    assert all(byte < 128 for byte in wire)
    assert max(len(line) for line in wire.splitlines()) <= 78


@pytest.mark.parametrize("bad", [f"{ANA}\nBcc: all@clinic.test", f"{ANA}\r\nX-Injected: 1"])
def test_an_address_with_a_line_break_is_refused_not_sent(
    smtp_server: SmtpServer, bad: str
) -> None:
    digest = Digest(bad, "Readiness: 1 item needs action", "body\n")
    with pytest.raises(DeliveryError, match="line break"):
        mailer(smtp_server.port).send(digest, NOW)
    assert smtp_server.messages == []


def test_the_dry_run_says_which_digest_could_not_be_sent() -> None:
    out = io.StringIO()
    printer = PrintMailer(SENDER, out)
    printer.send(Digest(f"{ANA}\nBcc: all@clinic.test", "Readiness: x", "body\n"), NOW)
    printer.send(_digest(), NOW)
    text = out.getvalue()
    assert text.startswith("Not deliverable: the To header holds a line break")
    assert "\nBcc:" not in text
    assert f"To: {ANA}\nSubject: Readiness: 1 item needs action\n" in text
    assert LONG.strip() in text
