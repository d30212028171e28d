"""Date-based reminders go out from 07:00 site time, so each day's come in one morning digest."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reminder_world import item, items, plan_at

FRAME = items(
    item("aed.pads", "AED-1", "due_soon", date(2026, 4, 20)),
    item("aed.pads", "AED-9", "due_soon", date(2026, 4, 20), site="PHX1"),
)


def _queued_subjects(now: datetime) -> set[str]:
    return {r.subject for r in plan_at(now, FRAME).reminders if r.kind == "equipment"}


def test_each_site_waits_for_its_own_morning() -> None:
    # 12:30 UTC on Tuesday 2026-03-10: 07:30 CDT in Chicago, 05:30 MST in Phoenix.
    assert _queued_subjects(datetime(2026, 3, 10, 12, 30, tzinfo=UTC)) == {"AED-1"}
    # 14:00 UTC: 07:00 MST in Phoenix too.
    assert _queued_subjects(datetime(2026, 3, 10, 14, 0, tzinfo=UTC)) == {"AED-1", "AED-9"}


def test_a_reminder_that_waits_still_counts_as_current() -> None:
    plan = plan_at(datetime(2026, 3, 10, 12, 30, tzinfo=UTC), FRAME)
    assert any("|AED-9|" in key for key in plan.current)


def test_the_hour_follows_the_clock_change_in_chicago() -> None:
    # Sunday 2026-03-08: clocks go forward at 02:00; 07:00 CDT is 12:00 UTC.
    assert _queued_subjects(datetime(2026, 3, 8, 11, 59, tzinfo=UTC)) == set()
    assert "AED-1" in _queued_subjects(datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    # Sunday 2026-11-01: clocks go back at 02:00; 07:00 CST is 13:00 UTC.
    frame_nov = items(item("aed.pads", "AED-1", "due_soon", date(2026, 12, 1)))
    before = plan_at(datetime(2026, 11, 1, 12, 59, tzinfo=UTC), frame_nov)
    at = plan_at(datetime(2026, 11, 1, 13, 0, tzinfo=UTC), frame_nov)
    assert [r for r in before.reminders if r.kind == "equipment"] == []
    assert [r for r in at.reminders if r.kind == "equipment"]
