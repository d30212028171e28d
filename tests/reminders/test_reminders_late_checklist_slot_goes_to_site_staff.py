"""A checklist slot still not done an hour after its due time: the site's staff hear of it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from reminder_world import ANA, LEE, items, plan_at

from readiness.reminders.facts import LateSlot

# opening-daily at AUS1 on Tuesday 2026-03-10, due 10:00 CDT (15:00 UTC).
SLOT = LateSlot(
    site="AUS1",
    template_id="opening-daily",
    title="Daily opening readiness check",
    asset_id=None,
    slot_date=date(2026, 3, 10),
    due_utc=datetime(2026, 3, 10, 15, tzinfo=UTC),
    day_end_utc=datetime(2026, 3, 11, 5, tzinfo=UTC),
)


def _late(now: datetime, slot: LateSlot = SLOT) -> set[str]:
    plan = plan_at(now, items(), late_slots=[slot])
    return {r.key for r in plan.reminders if r.kind == "checklist"}


@pytest.mark.parametrize(
    ("after_due", "reminded"),
    [
        (timedelta(minutes=59), False),
        (timedelta(hours=1), True),
        (timedelta(hours=5), True),
        (timedelta(hours=14, minutes=59), True),  # an hour after the day ended
        (timedelta(hours=15), False),
    ],
)
def test_it_reminds_from_an_hour_after_due_until_the_day_is_over(
    after_due: timedelta, reminded: bool
) -> None:
    assert bool(_late(SLOT.due_utc + after_due)) is reminded


def test_every_active_staff_member_with_an_email_at_the_site_is_told() -> None:
    assert _late(SLOT.due_utc + timedelta(hours=2)) == {
        f"{ANA}|opening-daily|AUS1|late@2026-03-10",
        f"{LEE}|opening-daily|AUS1|late@2026-03-10",
    }


def test_the_key_carries_the_slot_date_so_each_day_reminds_again() -> None:
    tomorrow = LateSlot(
        **{
            **SLOT.__dict__,
            "slot_date": date(2026, 3, 11),
            "due_utc": SLOT.due_utc + timedelta(days=1),
            "day_end_utc": SLOT.day_end_utc + timedelta(days=1),
        }
    )
    first = _late(SLOT.due_utc + timedelta(hours=2))
    second = _late(tomorrow.due_utc + timedelta(hours=2), tomorrow)
    assert first.isdisjoint(second)


def test_a_late_slot_does_not_wait_for_the_digest_hour() -> None:
    early = LateSlot(
        **{
            **SLOT.__dict__,
            "due_utc": datetime(2026, 3, 10, 10, tzinfo=UTC),  # 05:00 CDT
        }
    )
    assert _late(datetime(2026, 3, 10, 11, 30, tzinfo=UTC), early)  # 06:30 CDT


def test_a_per_asset_slot_names_the_asset() -> None:
    laser = LateSlot(**{**SLOT.__dict__, "template_id": "laser-daily", "asset_id": "L-1"})
    plan = plan_at(SLOT.due_utc + timedelta(hours=2), items(), late_slots=[laser])
    reminder = next(r for r in plan.reminders if r.kind == "checklist")
    assert reminder.subject == "L-1"
    assert "for L-1" in reminder.title
    assert "10:00 site time" in reminder.detail
