"""A job that raises is logged with its name and its heartbeat keeps the error; the rest run."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
import schedule
from sqlalchemy import select

from readiness import clock
from readiness.db import Database
from readiness.models import Heartbeat
from readiness.reminders.scheduler import JobSpec, guarded, register

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)


def _boom(now: datetime) -> None:
    raise RuntimeError("compliance engine exploded")


def test_schedule_alone_lets_one_exception_skip_the_others() -> None:
    ran: list[str] = []
    plain = schedule.Scheduler()
    plain.every(60).seconds.do(_boom, NOW)
    plain.every(60).seconds.do(ran.append, "second")
    with pytest.raises(RuntimeError):
        plain.run_all()
    assert ran == []


def test_guarded_jobs_all_run_and_the_failure_is_recorded(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)
    ran: list[str] = []
    scheduler = schedule.Scheduler()
    for spec, work in [
        (JobSpec("first", 300), _boom),
        (JobSpec("second", 300), lambda now: ran.append("second")),
        (JobSpec("third", 86400), lambda now: ran.append("third")),
    ]:
        register(scheduler, spec, guarded(db, spec, work))

    with caplog.at_level(logging.ERROR, logger="readiness.reminders.scheduler"):
        scheduler.run_all()

    assert ran == ["second", "third"]
    assert "job first failed" in caplog.text
    assert "compliance engine exploded" in caplog.text  # the traceback is logged
    with db.read() as session:
        beats = {hb.job: hb for hb in session.scalars(select(Heartbeat))}
    assert beats["first"].last_error == "RuntimeError: compliance engine exploded"
    assert beats["first"].last_error_at == NOW
    assert beats["first"].last_ok_at is None
    assert beats["first"].last_started_at == NOW
    assert beats["second"].last_ok_at == NOW and beats["second"].last_error is None
    assert beats["third"].interval_s == 86400


def test_a_later_success_keeps_the_last_error_for_the_record(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)
    spec = JobSpec("flaky", 300)
    guarded(db, spec, _boom)()
    guarded(db, spec, lambda now: None)()
    with db.read() as session:
        beat = session.scalars(select(Heartbeat)).one()
    assert beat.last_ok_at == NOW
    assert beat.last_error_at == NOW
