"""A failed item opens a corrective action: requirement, subject, owner, due date by severity."""

from __future__ import annotations

from datetime import date

import pytest
from checklist_world import ACTOR, LASER_OK, MONDAY, OPENING_OK, build_site, submit
from sqlalchemy import select

from readiness.audit import records
from readiness.db import Database
from readiness.models import AuditEvent, ChecklistResponse, CorrectiveAction, Staff


def _owner(db: Database, action: CorrectiveAction) -> str:
    with db.read() as session:
        return session.get_one(Staff, action.owner_pk).staff_id


def test_low_oxygen_fails_the_item_and_opens_a_critical_action_due_today(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    submission = submit(db, answers=OPENING_OK | {"o2_psi": 800, "o2_psi.note": "gauge in red"})

    assert not submission.run.passed
    (action,) = submission.actions
    assert (action.source, action.source_id) == ("checklist", submission.run.id)
    assert (action.requirement, action.subject) == ("oxygen.daily_pressure", "AUS1")
    assert (action.severity, action.due_on, action.status) == ("critical", MONDAY, "open")
    assert action.description.startswith("Replace the cylinder with a full one")
    assert "800 psi is below the minimum of 1000 psi" in action.description
    assert "gauge in red" in action.description
    assert _owner(db, action) == "S-3"  # the medical director
    assert "oxygen.daily_pressure for AUS1 (critical, due 2026-03-09)" in submission.describe()
    with db.read() as session:
        response = session.scalars(
            select(ChecklistResponse).where(ChecklistResponse.item_id == "o2_psi")
        ).one()
        events = session.scalars(
            select(AuditEvent.entity).where(AuditEvent.entity == "corrective_actions")
        ).all()
    assert (response.value, response.passed, response.note) == ("800 psi", False, "gauge in red")
    assert len(events) == 1


@pytest.mark.parametrize(
    ("answers", "requirement", "severity", "due_on"),
    [
        ({"storage_temp_c": 34}, "kit.seal_daily", "critical", date(2026, 3, 9)),
        ({"emergency_numbers_posted": False}, None, "minor", date(2026, 3, 23)),
        ({"epi_adult_expiry": "2026-03-01"}, "kit.seal_daily", "critical", date(2026, 3, 9)),
    ],
    ids=["temperature", "numbers-posted", "expired-epinephrine"],
)
def test_the_due_date_follows_the_severity(
    db: Database,
    answers: dict[str, object],
    requirement: str | None,
    severity: str,
    due_on: date,
) -> None:
    with db.write() as session:
        build_site(session)
    (action,) = submit(db, answers=OPENING_OK | answers).actions
    assert (action.requirement, action.severity, action.due_on) == (requirement, severity, due_on)


def test_a_laser_failure_is_owned_by_the_lso_and_due_in_three_days(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    submission = submit(
        db,
        template_id="laser-preuse-daily",
        asset_id="L-1",
        answers=LASER_OK | {"error_log": False},
    )
    (action,) = submission.actions
    assert (action.requirement, action.subject) == ("laser.daily_check", "L-1")
    assert (action.severity, action.due_on) == ("major", date(2026, 3, 12))
    assert _owner(db, action) == "S-2"  # the Laser Safety Officer


def test_without_an_lso_or_director_the_signer_owns_it(db: Database) -> None:
    with db.write() as session:
        build_site(session)
        for person in session.scalars(select(Staff).where(Staff.staff_id.in_(["S-2", "S-3"]))):
            records.update(session, person, {"active": False}, actor=ACTOR, reason="left")
    (action,) = submit(db, answers=OPENING_OK | {"o2_psi": 900}).actions
    assert _owner(db, action) == "S-1"
