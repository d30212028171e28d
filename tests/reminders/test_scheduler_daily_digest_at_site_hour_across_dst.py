"""The daily digest falls due at 07:00 site time on both sides of the 2026 clock changes."""

from __future__ import annotations

import datetime as dt
import types
from datetime import UTC, datetime

import pytest
import schedule

from readiness.reminders.scheduler import (
    JobSpec,
    daily_job_name,
    job_specs,
    next_digest_at,
    previous_digest_at,
    register,
)

CHICAGO, PHOENIX = "America/Chicago", "America/Phoenix"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "due"),
    [
        # Saturday 2026-03-07, CST (UTC-6): 07:00 is 13:00 UTC.
        (utc(2026, 3, 7, 12, 59), CHICAGO, utc(2026, 3, 7, 13)),
        # Past Saturday's digest: Sunday 2026-03-08 is in CDT (UTC-5) from 02:00, so 12:00 UTC.
        (utc(2026, 3, 7, 13, 0), CHICAGO, utc(2026, 3, 8, 12)),
        (utc(2026, 3, 8, 7, 30), CHICAGO, utc(2026, 3, 8, 12)),  # 01:30 CST, before the jump
        (utc(2026, 3, 8, 12, 0), CHICAGO, utc(2026, 3, 9, 12)),
        # Saturday 2026-10-31, CDT: 12:00 UTC; Sunday 2026-11-01 back in CST: 13:00 UTC.
        (utc(2026, 10, 31, 11, 0), CHICAGO, utc(2026, 10, 31, 12)),
        (utc(2026, 10, 31, 12, 0), CHICAGO, utc(2026, 11, 1, 13)),
        (utc(2026, 11, 1, 6, 30), CHICAGO, utc(2026, 11, 1, 13)),  # 01:30 CDT, the first one
        (utc(2026, 11, 1, 7, 30), CHICAGO, utc(2026, 11, 1, 13)),  # 01:30 CST, the second one
        (utc(2026, 11, 1, 13, 0), CHICAGO, utc(2026, 11, 2, 13)),
        # Phoenix keeps MST (UTC-7) all year.
        (utc(2026, 3, 8, 13, 0), PHOENIX, utc(2026, 3, 8, 14)),
        (utc(2026, 11, 1, 14, 0), PHOENIX, utc(2026, 11, 2, 14)),
    ],
)
def test_next_digest_is_at_seven_site_time(now: datetime, zone: str, due: datetime) -> None:
    assert next_digest_at(now, zone) == due
    local = due.astimezone(UTC).astimezone(__import__("zoneinfo").ZoneInfo(zone))
    assert (local.hour, local.minute) == (7, 0)


def test_the_previous_digest_is_the_last_one_at_or_before_now() -> None:
    assert previous_digest_at(utc(2026, 3, 8, 12, 0), CHICAGO) == utc(2026, 3, 8, 12)
    assert previous_digest_at(utc(2026, 3, 8, 11, 59), CHICAGO) == utc(2026, 3, 7, 13)
    assert previous_digest_at(utc(2026, 11, 1, 12, 59), CHICAGO) == utc(2026, 10, 31, 12)


def test_there_is_one_daily_job_per_distinct_zone() -> None:
    specs = job_specs([CHICAGO, PHOENIX, CHICAGO], CHICAGO)
    names = [spec.name for spec in specs]
    assert names == [
        "reminder-pass",
        daily_job_name(CHICAGO),
        daily_job_name(PHOENIX),
        "weekly-summary",
    ]
    weekly = specs[-1]
    assert (weekly.weekday, weekly.zone, weekly.at) == ("monday", CHICAGO, dt.time(7, 0))


class _Frozen(dt.datetime):
    """datetime whose now() is pinned, for schedule's own arithmetic."""

    pinned: dt.datetime = utc(2026, 1, 1)

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        if tz is None:
            return cls.pinned.astimezone().replace(tzinfo=None)
        return cls.pinned.astimezone(tz)


def _next_run_registered(monkeypatch: pytest.MonkeyPatch, now: datetime, spec: JobSpec) -> datetime:
    """Where `schedule` puts the job's next run, as an aware UTC instant."""
    _Frozen.pinned = now
    fake = types.SimpleNamespace(
        datetime=_Frozen, date=dt.date, time=dt.time, timedelta=dt.timedelta
    )
    monkeypatch.setattr(schedule, "datetime", fake)
    job = register(schedule.Scheduler(), spec, lambda: None)
    assert job.next_run is not None
    # schedule keeps next_run as a naive local time of this machine.
    return job.next_run.astimezone(UTC)


@pytest.mark.parametrize(
    "now",
    [
        utc(2026, 3, 7, 13, 30),
        utc(2026, 3, 8, 7, 30),
        utc(2026, 10, 31, 12, 30),
        utc(2026, 11, 1, 6, 30),
        utc(2026, 11, 1, 7, 30),
    ],
)
def test_schedule_registers_the_digest_at_the_same_instant(
    monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    pytest.importorskip("pytz", reason="schedule needs pytz for time zones (pyproject lists it)")
    spec = JobSpec(daily_job_name(CHICAGO), 86400, dt.time(7, 0), CHICAGO)
    assert _next_run_registered(monkeypatch, now, spec) == next_digest_at(now, CHICAGO)


def test_schedule_registers_the_weekly_summary_on_monday_at_seven(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("pytz", reason="schedule needs pytz for time zones (pyproject lists it)")
    spec = JobSpec("weekly-summary", 7 * 86400, dt.time(7, 0), CHICAGO, "monday")
    # Saturday 2026-03-07: the next Monday 07:00 is in CDT, after the clocks went forward.
    assert _next_run_registered(monkeypatch, utc(2026, 3, 7, 18), spec) == utc(2026, 3, 9, 12)
