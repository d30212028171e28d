"""A member of staff who has not acknowledged the current emergency plan is reminded, and
so are the site's officers; the reminder names what to do, not a key."""

from __future__ import annotations

from datetime import UTC, datetime

from reminder_world import ANA, OFFICER, item, items, plan_at

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)  # Tuesday, 10:00 in Chicago


def test_the_staff_member_and_the_officer_hear_of_it() -> None:
    frame = items(
        item(
            "plan.acknowledged",
            "S-1",
            "missing",
            None,
            detail="Has not acknowledged the emergency plan (version 0123456789ab)",
        )
    )
    reminders = [r for r in plan_at(NOW, frame).reminders if r.requirement == "plan.acknowledged"]
    assert {r.recipient for r in reminders} == {ANA, OFFICER}
    assert {r.step for r in reminders} == {"missing"}
