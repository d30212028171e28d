"""Outbox keys: recipient|requirement|subject|step@cycle, stable from pass to pass."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reminder_world import item, items, plan_at

from readiness.reminders.plan import KEY_MAX, reminder_key

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)
FRAME = items(
    item("cert.bls", "S-1", "due_soon", date(2026, 5, 1)),
    item("aed.pads", "AED-1", "expired", date(2026, 3, 1)),
)


def test_the_key_names_recipient_requirement_subject_and_step() -> None:
    key = reminder_key("ana@clinic.test", "cert.bls", "S-104", "tier-90", "2026-03-31")
    assert key == "ana@clinic.test|cert.bls|S-104|tier-90@2026-03-31"


def test_two_passes_on_the_same_facts_give_the_same_keys() -> None:
    first = plan_at(NOW, FRAME)
    again = plan_at(NOW.replace(minute=5), FRAME)
    assert {r.key for r in first.reminders} == {r.key for r in again.reminders}
    assert len({r.key for r in first.reminders}) == len(first.reminders)


def test_an_over_long_key_still_fits_and_stays_distinct() -> None:
    long_subject = "x" * 500
    one = reminder_key("a@b.test", "cert.bls", long_subject, "tier-30", "2026-01-01")
    two = reminder_key("a@b.test", "cert.bls", long_subject, "tier-60", "2026-01-01")
    assert len(one) <= KEY_MAX and len(two) <= KEY_MAX
    assert one != two
