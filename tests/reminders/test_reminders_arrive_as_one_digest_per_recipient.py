"""A pass against a real SMTP server: one digest per recipient; a second pass sends nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reminder_world import (
    ANA,
    LEE,
    OFFICER,
    SENDER,
    TUESDAY_9AM,
    build_practice,
    mailer,
    setup,
)

from readiness.db import Database
from readiness.reminders.run import run_pass

if TYPE_CHECKING:
    from smtpserver import SmtpServer

# The smtp_server fixture; loaded as a plugin so that its asserts are rewritten.
pytest_plugins = ["smtpserver"]


def test_each_recipient_gets_one_digest_with_their_items(
    db: Database, smtp_server: SmtpServer
) -> None:
    build_practice(db)
    report = run_pass(db, setup(), mailer(smtp_server.port), TUESDAY_9AM)

    assert sorted(smtp_server.recipients()) == sorted([ANA, LEE, OFFICER])
    assert report.delivery is not None and report.delivery.messages == 3
    (ana,) = smtp_server.to(ANA)
    (lee,) = smtp_server.to(LEE)
    (officer,) = smtp_server.to(OFFICER)
    assert ana.sender == SENDER and ana.message["To"] == ANA
    assert "AUS1 · cert.bls · S-1: BLS expires 2026-05-01" in ana.body
    assert "60-day reminder" in ana.body
    assert "post-treatment follow-up of incident #1" in ana.body
    assert "corrective action #1" in lee.body
    assert "cert.bls" not in lee.body
    for text in ("cert.bls · S-1", "corrective action #1", "incident #1", "Weekly summary"):
        assert text in officer.body
    assert "Escalated" not in officer.body


def test_no_email_carries_the_patient_case_reference(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    run_pass(db, setup(), mailer(smtp_server.port), TUESDAY_9AM)
    assert smtp_server.messages
    assert not any("C-0001" in m.body or "C-0001" in m.subject for m in smtp_server.messages)


def test_a_second_pass_sends_nothing_new(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    run_pass(db, setup(), mailer(smtp_server.port), TUESDAY_9AM)
    first = len(smtp_server.messages)
    again = run_pass(db, setup(), mailer(smtp_server.port), TUESDAY_9AM.replace(minute=5))
    assert again.queued == 0
    assert len(smtp_server.messages) == first
