"""The demo's site-local instants (a shortcut from the day's midnight on days the clocks
keep still) are exactly the instants the slot rules compute, on every day of a year with
clock changes, in every zone the demo practice has clinics in."""

from __future__ import annotations

from datetime import date, time, timedelta

from readiness.demo import catalog
from readiness.demo.clinic import local
from readiness.rules import slots


def test_every_half_hour_of_a_year_matches_the_slot_rules() -> None:
    zones = sorted({city.timezone for city in catalog.CITIES})
    assert "America/New_York" in zones and "America/Phoenix" in zones
    for zone in zones:
        day = date(2025, 1, 1)
        while day.year == 2025:
            for minutes in range(0, 24 * 60, 30):
                expected = slots.due_instant(day, time(minutes // 60, minutes % 60), zone)
                found = local(day, minutes, zone)
                assert found == expected, (zone, day, minutes)
                assert found.isoformat() == expected.isoformat()
            day += timedelta(days=1)


def test_the_skipped_hour_of_spring_lands_after_the_jump() -> None:
    # 2025-03-09 02:30 does not exist in New York: the slot rule's first instant after it.
    assert local(date(2025, 3, 9), 2 * 60 + 30, "America/New_York").isoformat() == (
        "2025-03-09T07:00:00+00:00"
    )
