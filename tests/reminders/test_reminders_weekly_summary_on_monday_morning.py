"""The officers' weekly summary: from Monday 07:00 on, once per ISO week, caught up later."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reminder_world import OFFICER, item, items, plan_at

from readiness.reminders.facts import Directory, Officer

FRAME = items(
    item("cert.bls", "S-1", "expired", date(2026, 3, 1), detail="BLS expired 2026-03-01"),
    item("aed.pads", "AED-1", "due_soon", date(2026, 4, 1)),
    item("aed.pads", "AED-9", "missing", site="PHX1", detail="No pads on record"),
)


def _summaries(now: datetime, **changes: object) -> dict[str, str]:
    plan = plan_at(now, FRAME, **changes)
    return {r.key: r.detail for r in plan.reminders if r.kind == "summary"}


def test_monday_before_the_digest_hour_has_no_summary_yet() -> None:
    # Monday 2026-03-09 06:59 CDT.
    assert _summaries(datetime(2026, 3, 9, 11, 59, tzinfo=UTC)) == {}


def test_monday_at_the_digest_hour_and_later_that_week_share_one_key() -> None:
    monday = _summaries(datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    thursday = _summaries(datetime(2026, 3, 12, 20, 0, tzinfo=UTC))
    assert list(monday) == [f"{OFFICER}|summary.weekly|all|week@2026-W11"]
    assert list(thursday) == list(monday)


def test_it_counts_per_site_and_lists_what_blocks_readiness() -> None:
    (text,) = _summaries(datetime(2026, 3, 9, 12, 0, tzinfo=UTC)).values()
    assert "AUS1: 1 expired, 1 due soon" in text
    assert "  - expired: cert.bls · S-1: BLS expired 2026-03-01" in text
    assert "PHX1: 1 missing" in text
    assert "aed.pads · AED-1" not in text  # due soon is counted, not listed


def test_a_site_officer_gets_only_that_site() -> None:
    directory = Directory(officers=(Officer("phx@clinic.test", "PHX1"),))
    summaries = _summaries(datetime(2026, 3, 9, 12, 0, tzinfo=UTC), directory=directory)
    (text,) = summaries.values()
    assert "PHX1" in text and "AUS1" not in text
