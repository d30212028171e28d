"""The digest: one e-mail per recipient, escalations first, sections by kind, ok items absent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from reminder_world import ANA, OFFICER, item, items, plan_at

from readiness.reminders.digest import DigestLine, compose_digest


def test_it_groups_lines_by_section_with_escalations_first() -> None:
    digest = compose_digest(
        OFFICER,
        [
            DigestLine("certification", "AUS1 · cert.bls · S-1: BLS expires", "60-day reminder"),
            DigestLine("equipment", "AUS1 · aed.pads · AED-1: pads expire", "due on 2026-04-01"),
            DigestLine("escalation", "AUS1 · laser.service · L-1: overdue", "escalated"),
        ],
    )
    body = digest.body
    assert digest.recipient == OFFICER
    assert digest.subject == "Readiness: 3 items need action (1 escalated)"
    assert body.index("Escalated") < body.index("Certificates") < body.index("Equipment")
    assert "* AUS1 · cert.bls · S-1: BLS expires\n  60-day reminder" in body


def test_a_weekly_summary_is_named_in_the_subject() -> None:
    digest = compose_digest(OFFICER, [DigestLine("summary", "Week 2026-W11: 1 site", "AUS1: ok")])
    assert digest.subject == "Readiness: weekly summary"


def test_an_empty_digest_is_refused() -> None:
    with pytest.raises(ValueError):
        compose_digest(ANA, [])


def test_the_planned_lines_leave_out_items_that_are_in_order() -> None:
    frame = items(
        item("cert.bls", "S-1", "ok", date(2027, 5, 1), detail="BLS valid until 2027-05-01"),
        item("cert.bls", "S-2", "due_soon", date(2026, 4, 1), detail="BLS expires 2026-04-01"),
    )
    plan = plan_at(datetime(2026, 3, 10, 15, tzinfo=UTC), frame)
    lines = [r.line() for r in plan.reminders if r.recipient == OFFICER and r.kind != "summary"]
    body = compose_digest(OFFICER, lines).body
    assert "S-2: BLS expires 2026-04-01" in body
    assert "S-1" not in body
