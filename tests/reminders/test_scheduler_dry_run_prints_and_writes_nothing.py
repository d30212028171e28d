"""--dry-run prints the digests a pass would send, sends nothing and writes nothing."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from reminder_world import ANA, SENDER, TUESDAY_9AM, build_practice, mailer, setup
from sqlalchemy import func, select

from readiness.db import Database
from readiness.models import Heartbeat, OutboxMessage, SchedulerLease
from readiness.reminders.mailer import PrintMailer
from readiness.reminders.scheduler import ReminderScheduler, UndeliveredError

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_dry_run_prints_each_digest_and_leaves_the_database_alone(db: Database) -> None:
    build_practice(db)
    out = io.StringIO()
    report = ReminderScheduler(db, setup(), PrintMailer(SENDER, out), dry_run=True).once(
        TUESDAY_9AM
    )
    text = out.getvalue()
    assert len(report.digests) == 3
    assert f"To: {ANA}" in text and "BLS expires 2026-05-01" in text
    # Printed as read: no quoted-printable escapes or soft line breaks.
    assert "=C2" not in text and "=\n" not in text
    assert _count(db, OutboxMessage) == 0
    assert _count(db, Heartbeat) == 0
    assert _count(db, SchedulerLease) == 0


def test_dry_run_shows_rows_already_waiting_too(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    smtp_server.stop()
    real = ReminderScheduler(db, setup(), mailer(smtp_server.port))
    with pytest.raises(UndeliveredError):
        real.once(TUESDAY_9AM)
    out = io.StringIO()
    later = TUESDAY_9AM.replace(hour=16)
    report = ReminderScheduler(db, setup(), PrintMailer(SENDER, out), dry_run=True).once(later)
    assert len(report.digests) == 3
    assert "BLS expires 2026-05-01" in out.getvalue()
