"""A staff member of another site may sign a site's checklist only on a day they are
assigned to it (first and last day included), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from checklist_world import BEFORE_TEN, build_site, submit
from sqlalchemy import select

from readiness.audit import records
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Site, Staff, StaffAssignment

# BEFORE_TEN is Monday 2026-03-09 in AUS1's time zone.
TODAY = date(2026, 3, 9)


def build(db: Database, starts_on: date, ends_on: date | None) -> None:
    with db.write() as session:
        build_site(session)
        build_site(session, "DAL1")
        aus1 = session.scalars(select(Site.id).where(Site.code == "AUS1")).one()
        nurse = session.scalars(select(Staff.id).where(Staff.staff_id == "DAL1-S1")).one()
        visit = StaffAssignment(staff_pk=nurse, site_id=aus1, starts_on=starts_on, ends_on=ends_on)
        records.create(session, visit, actor="test")


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(TODAY, TODAY), (date(2026, 3, 1), None), (date(2026, 3, 1), TODAY)],
    ids=["today-only", "open-ended", "last-day"],
)
def test_an_assigned_visitor_signs(db: Database, starts_on: date, ends_on: date | None) -> None:
    build(db, starts_on, ends_on)
    done = submit(db, staff_id="DAL1-S1", now_utc=BEFORE_TEN)
    assert done.created


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(date(2026, 3, 10), None), (date(2026, 3, 1), date(2026, 3, 8))],
    ids=["from-tomorrow", "ended-yesterday"],
)
def test_a_visitor_off_their_days_is_refused(
    db: Database, starts_on: date, ends_on: date | None
) -> None:
    build(db, starts_on, ends_on)
    with pytest.raises(
        UserError, match=r"DAL1-S1 \(Ana Lopez\) does not work at AUS1 on 2026-03-09"
    ):
        submit(db, staff_id="DAL1-S1", now_utc=BEFORE_TEN)
