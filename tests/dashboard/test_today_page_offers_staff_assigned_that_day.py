"""On the Today page a nurse from another clinic, assigned to this one today, is offered as
a signer and signs (with her PIN, from a colleague's account); one assigned from tomorrow,
or whose assignment ended, is not."""

from __future__ import annotations

from datetime import date

import pytest
from checklist_world import build_site
from sqlalchemy import select
from today_page import fill_opening, open_today, sign

from readiness.audit import records
from readiness.db import Database
from readiness.models import ChecklistRun, Staff, StaffAssignment
from readiness.services.signatures import set_pin

TODAY = date(2026, 3, 9)


def assign(db: Database, staff_id: str, starts_on: date, ends_on: date | None = None) -> None:
    with db.write() as session:
        person = session.scalars(select(Staff).where(Staff.staff_id == staff_id)).one()
        aus1 = session.scalars(select(Staff.site_id).where(Staff.staff_id == "S-1")).one()
        visit = StaffAssignment(
            staff_pk=person.id, site_id=aus1, starts_on=starts_on, ends_on=ends_on
        )
        records.create(session, visit, actor="test")


def test_only_staff_assigned_today_are_offered_and_may_sign(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
        build_site(session, "DAL1")
    assign(sqlite_db, "DAL1-S1", TODAY, TODAY)  # today only
    assign(sqlite_db, "DAL1-S2", date(2026, 3, 10))  # from tomorrow
    assign(sqlite_db, "DAL1-S3", date(2026, 3, 1), date(2026, 3, 8))  # ended yesterday
    at = fill_opening(open_today(sqlite_db, monkeypatch))
    offered = set(at.selectbox(key="today_staff").options)
    assert {"Ana Lopez (DAL1-S1)", "Ana Lopez (S-1) — you"} <= offered
    assert not any("DAL1-S2" in o or "DAL1-S3" in o for o in offered)
    with sqlite_db.write() as session:
        visitor = session.scalars(select(Staff).where(Staff.staff_id == "DAL1-S1")).one()
        set_pin(session, visitor, "2468", "test")

    sign(at, "DAL1-S1", pin="2468")  # signing in another's name takes their PIN

    assert not at.exception
    assert at.error.len == 0, [e.value for e in at.error]
    assert at.success.len == 1
    with sqlite_db.read() as session:
        (run,) = session.scalars(select(ChecklistRun)).all()
        signer = session.get_one(Staff, run.submitted_by)
    # The run is AUS1's; its signer's home is DAL1.
    assert signer.staff_id == "DAL1-S1"
    assert run.site_id != signer.site_id
