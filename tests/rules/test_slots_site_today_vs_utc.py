"""'Today' is the site-local date, which differs from the UTC date late in the evening."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from readiness.rules.slots import day_end_instant, due_instant, site_today, slot_state


def utc(text: str) -> datetime:
    """A UTC instant from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "tz", "today"),
    [
        # 23:30 CDT on 9 March is already 10 March in UTC.
        ("2026-03-10 04:30", "America/Chicago", "2026-03-09"),
        ("2026-03-10 05:00", "America/Chicago", "2026-03-10"),
        # 23:30 CST on 9 January: one hour later in UTC than in summer.
        ("2026-01-10 05:30", "America/Chicago", "2026-01-09"),
        ("2026-01-10 06:00", "America/Chicago", "2026-01-10"),
        ("2026-03-10 03:59", "America/New_York", "2026-03-09"),
        ("2026-03-10 06:59", "America/Phoenix", "2026-03-09"),
        ("2026-03-10 07:00", "America/Phoenix", "2026-03-10"),
        ("2026-03-10 09:59", "Pacific/Honolulu", "2026-03-09"),
        # East of UTC the site is already tomorrow.
        ("2026-03-09 23:30", "Australia/Sydney", "2026-03-10"),
        # Fall-back night: 00:30 CDT and 00:30 CST+1h are both on 1 November.
        ("2026-11-01 05:30", "America/Chicago", "2026-11-01"),
        ("2026-11-01 06:30", "America/Chicago", "2026-11-01"),
        ("2026-11-01 04:59", "America/Chicago", "2026-10-31"),
        # New Year's Eve in Chicago is already 2027 in UTC.
        ("2027-01-01 05:59", "America/Chicago", "2026-12-31"),
    ],
)
def test_site_today_is_the_local_date(now: str, tz: str, today: str) -> None:
    assert site_today(utc(now), tz) == date.fromisoformat(today)


def test_any_aware_instant_is_accepted() -> None:
    chicago_evening = datetime(2026, 3, 9, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert site_today(chicago_evening, "America/Chicago") == date(2026, 3, 9)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="now_utc must be timezone-aware"):
        site_today(datetime(2026, 3, 9, 23, 30), "America/Chicago")


DAY = date(2026, 3, 9)
TZ = "America/Chicago"
DUE = due_instant(DAY, time(10), TZ)  # 15:00 UTC
END = day_end_instant(DAY, TZ)  # 05:00 UTC next day


@pytest.mark.parametrize(
    ("done_at", "now", "state"),
    [
        (None, "2026-03-09 14:59", "pending"),
        (None, "2026-03-09 15:00", "pending"),
        (None, "2026-03-09 15:01", "overdue"),
        (None, "2026-03-10 04:30", "overdue"),
        ("2026-03-09 13:00", "2026-03-09 14:00", "done"),
        ("2026-03-09 15:00", "2026-03-09 16:00", "done"),
        ("2026-03-09 15:01", "2026-03-09 16:00", "late"),
        ("2026-03-10 04:30", "2026-03-10 04:31", "late"),
        # A late submission for yesterday's slot, signed after the day ended, stays late.
        ("2026-03-10 14:00", "2026-03-10 15:00", "late"),
        # Looking back to a moment before the run was signed: not done yet.
        ("2026-03-09 13:00", "2026-03-09 12:00", "pending"),
        ("2026-03-09 16:00", "2026-03-09 15:30", "overdue"),
    ],
)
def test_slot_state_at_the_boundaries(done_at: str | None, now: str, state: str) -> None:
    done = None if done_at is None else utc(done_at)
    assert slot_state(DUE, END, done, utc(now)) == state


def test_slot_state_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="now_utc must be timezone-aware"):
        slot_state(DUE, END, None, datetime(2026, 3, 9, 12))
