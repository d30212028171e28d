"""Due times and day lengths in site time stay right across the 2026 US DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.rules.slots import (
    day_end_instant,
    day_start_instant,
    due_instant,
    due_instants,
    expected_slots,
)

CHICAGO, NEW_YORK, PHOENIX = "America/Chicago", "America/New_York", "America/Phoenix"
SPRING, FALL = date(2026, 3, 8), date(2026, 11, 1)
ONE_DAY = timedelta(days=1)


def utc(text: str) -> datetime:
    """A UTC instant from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


TEN_AM = [
    # zone, site-local date, 10:00 local in UTC
    (CHICAGO, "2026-03-07", "2026-03-07 16:00"),
    (CHICAGO, "2026-03-08", "2026-03-08 15:00"),
    (CHICAGO, "2026-03-09", "2026-03-09 15:00"),
    (CHICAGO, "2026-10-31", "2026-10-31 15:00"),
    (CHICAGO, "2026-11-01", "2026-11-01 16:00"),
    (CHICAGO, "2026-11-02", "2026-11-02 16:00"),
    (NEW_YORK, "2026-03-07", "2026-03-07 15:00"),
    (NEW_YORK, "2026-03-08", "2026-03-08 14:00"),
    (NEW_YORK, "2026-03-09", "2026-03-09 14:00"),
    (NEW_YORK, "2026-10-31", "2026-10-31 14:00"),
    (NEW_YORK, "2026-11-01", "2026-11-01 15:00"),
    (NEW_YORK, "2026-11-02", "2026-11-02 15:00"),
    (PHOENIX, "2026-03-07", "2026-03-07 17:00"),
    (PHOENIX, "2026-03-08", "2026-03-08 17:00"),
    (PHOENIX, "2026-03-09", "2026-03-09 17:00"),
    (PHOENIX, "2026-10-31", "2026-10-31 17:00"),
    (PHOENIX, "2026-11-01", "2026-11-01 17:00"),
    (PHOENIX, "2026-11-02", "2026-11-02 17:00"),
]


@pytest.mark.parametrize(("tz", "day", "expected"), TEN_AM)
def test_due_by_ten_maps_to_the_right_utc_instant(tz: str, day: str, expected: str) -> None:
    assert due_instant(date.fromisoformat(day), time(10), tz) == utc(expected)


def test_the_vectorised_due_instants_agree_with_the_scalar_rule() -> None:
    frame = pd.DataFrame(
        {
            "timezone": [tz for tz, _, _ in TEN_AM],
            "due_date": pd.to_datetime([day for _, day, _ in TEN_AM]).astype("datetime64[s]"),
        }
    )
    instants = due_instants(frame, time(10))
    assert list(instants) == [pd.Timestamp(utc(expected)) for _, _, expected in TEN_AM]


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (CHICAGO, SPRING - ONE_DAY, 24),
        (CHICAGO, SPRING, 23),
        (CHICAGO, SPRING + ONE_DAY, 24),
        (CHICAGO, FALL - ONE_DAY, 24),
        (CHICAGO, FALL, 25),
        (CHICAGO, FALL + ONE_DAY, 24),
        (NEW_YORK, SPRING, 23),
        (NEW_YORK, FALL, 25),
        (PHOENIX, SPRING, 24),
        (PHOENIX, FALL, 24),
        # Cuba changes its clocks at midnight: 2026-03-08 00:00 does not exist there.
        ("America/Havana", SPRING, 23),
    ],
)
def test_a_site_local_day_lasts_23_24_or_25_hours(tz: str, day: date, hours: int) -> None:
    assert day_end_instant(day, tz) - day_start_instant(day, tz) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("tz", "day", "expected_end"),
    [
        (CHICAGO, SPRING, "2026-03-09 05:00"),
        (CHICAGO, FALL, "2026-11-02 06:00"),
        (PHOENIX, FALL, "2026-11-02 07:00"),
        ("America/Havana", SPRING - ONE_DAY, "2026-03-08 05:00"),
    ],
)
def test_the_day_ends_at_the_next_local_midnight(tz: str, day: date, expected_end: str) -> None:
    assert day_end_instant(day, tz) == utc(expected_end)


@pytest.mark.parametrize(
    ("tz", "local", "expected"),
    [
        # 02:30 never happens on spring-forward night: due when the clock jumps to 03:00.
        (CHICAGO, "2026-03-08 02:30", "2026-03-08 08:00"),
        (CHICAGO, "2026-03-08 02:00", "2026-03-08 08:00"),
        (CHICAGO, "2026-03-08 03:00", "2026-03-08 08:00"),
        (NEW_YORK, "2026-03-08 02:59", "2026-03-08 07:00"),
        # 01:30 happens twice on fall-back night: the first time counts.
        (CHICAGO, "2026-11-01 01:30", "2026-11-01 06:30"),
        (NEW_YORK, "2026-11-01 01:00", "2026-11-01 05:00"),
        (CHICAGO, "2026-11-01 02:00", "2026-11-01 08:00"),
        (PHOENIX, "2026-03-08 02:30", "2026-03-08 09:30"),
    ],
)
def test_gap_and_repeated_times_resolve_to_the_first_instant_showing_them(
    tz: str, local: str, expected: str
) -> None:
    wall = datetime.fromisoformat(local)
    assert due_instant(wall.date(), wall.time(), tz) == utc(expected)


@pytest.mark.parametrize("tz", [CHICAGO, NEW_YORK, PHOENIX])
def test_daily_slots_continue_through_the_change_weekends(tz: str) -> None:
    sites = pd.DataFrame({"site_id": ["S"], "timezone": [tz], "open_days": [""]})
    for change in (SPRING, FALL):
        slots = expected_slots(sites, "daily", change - ONE_DAY, change + ONE_DAY)
        assert [d.date() for d in slots["slot_date"]] == [
            change - ONE_DAY,
            change,
            change + ONE_DAY,
        ]


def test_instants_are_timezone_aware_utc() -> None:
    instant = due_instant(SPRING, time(10), CHICAGO)
    assert instant.tzinfo is UTC


def test_an_unknown_zone_is_named() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'America/Springfield'"):
        due_instant(SPRING, time(10), "America/Springfield")


@settings(max_examples=300, deadline=None)
@given(
    tz=st.sampled_from([CHICAGO, NEW_YORK, PHOENIX, "America/Havana", "Australia/Lord_Howe"]),
    day=st.sampled_from([SPRING, FALL, date(2026, 4, 5), date(2026, 10, 4), date(2026, 6, 1)]),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_due_is_the_first_instant_the_wall_clock_shows_the_time(
    tz: str, day: date, minute: int
) -> None:
    due_by = time(minute // 60, minute % 60)
    wall = datetime.combine(day, due_by)
    instant = due_instant(day, due_by, tz)
    zone = ZoneInfo(tz)
    assert instant.astimezone(zone).replace(tzinfo=None) >= wall
    assert (instant - timedelta(seconds=1)).astimezone(zone).replace(tzinfo=None) < wall
