"""Three days without mail, or without a scheduler: afterwards each reminder goes out once."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from reminder_world import ANA, LEE, OFFICER, TUESDAY_9AM, build_practice, mailer, setup

from readiness.db import Database
from readiness.reminders.run import run_pass

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]

EVERY = timedelta(hours=12)


def test_mail_down_three_days_then_one_digest_per_recipient(
    db: Database, smtp_server: SmtpServer
) -> None:
    build_practice(db)
    send = mailer(smtp_server.port)
    smtp_server.stop()
    now = TUESDAY_9AM
    while now < TUESDAY_9AM + timedelta(days=3):
        run_pass(db, setup(), send, now)
        now += EVERY
    assert smtp_server.messages == []

    smtp_server.start()
    run_pass(db, setup(), send, now)
    assert sorted(smtp_server.recipients()) == sorted([ANA, LEE, OFFICER])
    (ana,) = smtp_server.to(ANA)
    assert ana.body.count("cert.bls · S-1") == 1
    (officer,) = smtp_server.to(OFFICER)
    assert officer.body.count("* AUS1 · corrective action #1") == 1

    run_pass(db, setup(), send, now + timedelta(minutes=5))
    assert len(smtp_server.messages) == 3


def test_scheduler_down_three_days_sends_only_the_steps_reached_meanwhile(
    db: Database, smtp_server: SmtpServer
) -> None:
    build_practice(db)
    send = mailer(smtp_server.port)
    run_pass(db, setup(), send, TUESDAY_9AM)
    (tuesday,) = smtp_server.to(ANA)
    assert "60-day reminder" in tuesday.body
    smtp_server.clear()

    friday = TUESDAY_9AM + timedelta(days=3)
    run_pass(db, setup(), send, friday)
    # Ana's 60-day reminder and follow-up went out on Tuesday; nothing of hers is new.
    assert smtp_server.to(ANA) == []
    # The corrective action (due 2026-03-05) entered its second week: Lee hears again, once.
    (lee,) = smtp_server.to(LEE)
    assert "lapsed since 2026-03-05 (1 week)" in lee.body
