"""`once` stands for every job: each pass moves every job's heartbeat on, in every zone.

The heartbeats of a pass are written together (one statement for all jobs), so the
first pass inserts them, later passes update them, and an earlier failure stays on record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from reminder_world import ACTOR, TUESDAY_9AM, build_practice, mailer, setup
from sqlalchemy import select

from readiness.audit import records
from readiness.db import Database
from readiness.models import Heartbeat, Site
from readiness.reminders.scheduler import (
    PASS_EVERY_S,
    SNAPSHOT_JOB,
    WEEK_S,
    ReminderScheduler,
    UndeliveredError,
    heartbeat_status,
)

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]

JOBS = {
    "reminder-pass": PASS_EVERY_S,
    "daily-digest America/Chicago": 24 * 60 * 60,
    "daily-digest America/Phoenix": 24 * 60 * 60,
    "weekly-summary": WEEK_S,
}


def _beats(db: Database) -> dict[str, Heartbeat]:
    with db.read() as session:
        return {beat.job: beat for beat in session.scalars(select(Heartbeat))}


def test_each_pass_moves_every_job_on_and_keeps_the_last_error(
    db: Database, smtp_server: SmtpServer
) -> None:
    build_practice(db)
    with db.write() as session:
        records.create(
            session, Site(code="PHX1", name="Clinic PHX1", timezone="America/Phoenix"), actor=ACTOR
        )
    scheduler = ReminderScheduler(db, setup(), mailer(smtp_server.port))

    smtp_server.stop()
    with pytest.raises(UndeliveredError):
        scheduler.once(TUESDAY_9AM)
    failed = _beats(db)
    assert set(failed) == set(JOBS)
    for beat in failed.values():
        assert beat.last_ok_at is None and beat.last_error_at is not None

    smtp_server.start()
    for minutes in (5, 10):
        now = TUESDAY_9AM + timedelta(minutes=minutes)
        scheduler.once(now)
        beats = _beats(db)
        # The day's readiness snapshot runs after the pass, as its own guarded job.
        assert beats.pop(SNAPSHOT_JOB.name).last_ok_at is not None
        assert {job: beat.interval_s for job, beat in beats.items()} == JOBS
        for beat in beats.values():
            assert beat.last_started_at == now and beat.last_ok_at == now
            assert beat.last_error_at == failed[beat.job].last_error_at
            assert "Connection refused" in (beat.last_error or "")

    with db.read() as session:
        status = heartbeat_status(session, TUESDAY_9AM + timedelta(minutes=11))
    assert set(status["job"]) == set(JOBS) and not status["late"].any()
