"""The scheduler records each site's readiness once its day has closed: a job of the loop
(hourly, idempotent) and part of every `--once` pass for cron; a dry run records nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import schedule
from reminder_world import TUESDAY_9AM, build_practice, mailer, setup
from sqlalchemy import select

from readiness.db import Database
from readiness.models import ReadinessSnapshot
from readiness.policy.current import current_policy
from readiness.reminders.scheduler import DAILY_SNAPSHOT, ReminderScheduler

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]
MONDAY = date(2026, 3, 9)


def recorded(db: Database) -> list[tuple[date, str]]:
    with db.read() as session:
        rows = session.execute(
            select(ReadinessSnapshot.day, ReadinessSnapshot.scenario).order_by(
                ReadinessSnapshot.day, ReadinessSnapshot.scenario
            )
        )
        return [(day, scenario) for day, scenario in rows]


def test_each_pass_records_the_closed_day_once(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    scheduler = ReminderScheduler(db, setup(), mailer(smtp_server.port))
    scheduler.once(TUESDAY_9AM)
    monday = [(MONDAY, name) for name in sorted(current_policy().scenarios)]
    assert recorded(db) == monday
    scheduler.once(TUESDAY_9AM + timedelta(minutes=5))
    assert recorded(db) == monday  # the next pass finds Monday recorded
    assert scheduler.snapshot(TUESDAY_9AM + timedelta(days=1)) == len(monday)  # then Tuesday


def test_the_loop_has_an_hourly_snapshot_job(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    jobs = ReminderScheduler(db, setup(), mailer(smtp_server.port)).build(schedule.Scheduler())
    (job,) = [job for job in jobs.get_jobs() if DAILY_SNAPSHOT in job.tags]
    assert job.interval == 3600 and job.unit == "seconds"


def test_a_dry_run_records_nothing(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    dry = ReminderScheduler(db, setup(), mailer(smtp_server.port), dry_run=True)
    dry.once(TUESDAY_9AM)
    assert recorded(db) == []
    assert not [j for j in dry.build(schedule.Scheduler()).get_jobs() if DAILY_SNAPSHOT in j.tags]
