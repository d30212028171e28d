"""Certificates: a reminder at each warning tier, then weekly while expired, each once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from reminder_world import ANA, OFFICER, item, items, keys_to, plan_at

from readiness.reminders.steps import due_soon_step, lapsed_step
from readiness.rules import due as rules

EXPIRES = date(2026, 5, 1)
TIERS = (90, 60, 30)


@pytest.mark.parametrize(
    ("days_left", "step"),
    [
        (90, "tier-90"),
        (61, "tier-90"),
        (60, "tier-60"),
        (31, "tier-60"),
        (30, "tier-30"),
        (1, "tier-30"),
        (0, "tier-30"),
    ],
)
def test_it_names_the_smallest_tier_reached(days_left: int, step: str) -> None:
    today = EXPIRES - timedelta(days=days_left)
    assert due_soon_step(EXPIRES, today, TIERS).name == step
    assert due_soon_step(EXPIRES, today, TIERS).cycle == "2026-05-01"


def test_it_says_due_soon_for_a_requirement_without_tiers() -> None:
    assert due_soon_step(EXPIRES, EXPIRES - timedelta(days=3), ()).name == "due-soon"


@pytest.mark.parametrize(
    ("days_past", "step"),
    [(0, "overdue-week-0"), (6, "overdue-week-0"), (7, "overdue-week-1"), (13, "overdue-week-1"),
     (14, "overdue-week-2"), (70, "overdue-week-10")],
)  # fmt: skip
def test_it_counts_whole_weeks_since_the_due_date(days_past: int, step: str) -> None:
    assert lapsed_step(EXPIRES, EXPIRES + timedelta(days=days_past), 7).name == step


def _cert_on(day: date) -> pd.DataFrame:
    """The BLS item as the engine judges it on `day` (AHA cards are valid through the date)."""
    status = rules.status_for_due(EXPIRES, day, TIERS, "expiry", valid_through=True)
    return items(item("cert.bls", "S-1", str(status), EXPIRES))


def test_a_daily_pass_from_100_days_before_to_20_after_sends_each_step_once() -> None:
    seen: list[str] = []
    day = EXPIRES - timedelta(days=100)
    while day <= EXPIRES + timedelta(days=20):
        # 15:00 UTC is 10:00 in Chicago: after the site's digest hour.
        now = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
        plan = plan_at(now, _cert_on(day))
        seen += [key for key in keys_to(plan, ANA) if key not in seen]
        day += timedelta(days=1)
    steps = [key.rsplit("|", 1)[1] for key in seen]
    assert steps == [
        "tier-90@2026-05-01",
        "tier-60@2026-05-01",
        "tier-30@2026-05-01",
        "overdue-week-0@2026-05-01",
        "overdue-week-1@2026-05-01",
        "overdue-week-2@2026-05-01",
    ]


def test_the_holder_and_the_officer_get_the_same_step() -> None:
    now = datetime(2026, 3, 10, 15, tzinfo=UTC)
    plan = plan_at(now, items(item("cert.bls", "S-1", "due_soon", EXPIRES)))
    certificates = [r for r in plan.reminders if r.kind == "certification"]
    assert {r.recipient for r in certificates} == {ANA, OFFICER}
    assert {r.step for r in certificates} == {"tier-60"}


def test_a_renewed_card_reminds_again_at_its_own_tiers() -> None:
    now = datetime(2026, 3, 10, 15, tzinfo=UTC)
    first = keys_to(plan_at(now, items(item("cert.bls", "S-1", "due_soon", EXPIRES))), ANA)
    later = datetime(2028, 3, 10, 15, tzinfo=UTC)
    renewed = items(item("cert.bls", "S-1", "due_soon", date(2028, 4, 30)))
    second = keys_to(plan_at(later, renewed), ANA)
    assert first == {"ana@clinic.test|cert.bls|S-1|tier-60@2026-05-01"}
    assert second == {"ana@clinic.test|cert.bls|S-1|tier-60@2028-04-30"}
