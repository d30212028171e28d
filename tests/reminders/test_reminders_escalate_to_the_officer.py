"""An item that stays lapsed past the policy's escalation limit is escalated to the officer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from reminder_world import ANA, OFFICER, item, items, plan_at

from readiness.reminders.steps import escalation_step

DUE = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("days_past", "escalated"), [(0, False), (7, False), (8, True), (40, True)]
)
def test_it_escalates_after_more_than_the_limit(days_past: int, escalated: bool) -> None:
    step = escalation_step(DUE, DUE + timedelta(days=days_past), 7)
    assert (step is not None) is escalated


def test_the_escalation_goes_to_the_officer_once_per_lapse() -> None:
    frame = items(item("cert.bls", "S-1", "expired", DUE))
    keys: set[str] = set()
    for day in range(9, 30):
        now = datetime(2026, 3, day, 15, tzinfo=UTC)
        keys |= {r.key for r in plan_at(now, frame).reminders if r.kind == "escalation"}
    assert keys == {f"{OFFICER}|cert.bls|S-1|escalation@2026-03-01"}
    assert not any(key.startswith(ANA) for key in keys)


def test_a_missing_item_has_no_date_to_escalate_from() -> None:
    plan = plan_at(
        datetime(2026, 3, 20, 15, tzinfo=UTC), items(item("doc.emergency_plan", "AUS1", "missing"))
    )
    assert [r for r in plan.reminders if r.kind == "escalation"] == []
    assert {r.key for r in plan.reminders if r.kind == "document"} == {
        f"{OFFICER}|doc.emergency_plan|AUS1|missing@2026-W12"
    }
