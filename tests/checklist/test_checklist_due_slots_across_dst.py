"""A slot's due_by is 10:00 on the site's clock on the days the clocks change (Chicago)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from readiness.audit import records
from readiness.checklist import due_slots, templates_in_force
from readiness.db import Database
from readiness.models import Site

TEMPLATES = {"opening-daily": templates_in_force()["opening-daily"]}
ONE_MINUTE = timedelta(minutes=1)

CASES = [
    # site-local day, 10:00 in Chicago as UTC
    pytest.param(date(2026, 3, 7), datetime(2026, 3, 7, 16, 0, tzinfo=UTC), id="day-before-spring"),
    pytest.param(date(2026, 3, 8), datetime(2026, 3, 8, 15, 0, tzinfo=UTC), id="spring-forward"),
    pytest.param(
        date(2026, 10, 31), datetime(2026, 10, 31, 15, 0, tzinfo=UTC), id="day-before-fall"
    ),
    pytest.param(date(2026, 11, 1), datetime(2026, 11, 1, 16, 0, tzinfo=UTC), id="fall-back"),
]


@pytest.mark.parametrize(("day", "ten_am"), CASES)
def test_the_slot_falls_due_at_ten_local(db: Database, day: date, ten_am: datetime) -> None:
    with db.write() as session:
        records.create(
            session, Site(code="CHI1", name="Chicago", timezone="America/Chicago"), actor="t"
        )
    with db.read() as session:
        (just_before,) = due_slots(session, "CHI1", day, ten_am - ONE_MINUTE, TEMPLATES)
        (at_ten,) = due_slots(session, "CHI1", day, ten_am, TEMPLATES)
        (just_after,) = due_slots(session, "CHI1", day, ten_am + ONE_MINUTE, TEMPLATES)
    assert just_before.due_utc == ten_am
    assert (just_before.status, at_ten.status, just_after.status) == (
        "pending",
        "pending",
        "overdue",
    )
