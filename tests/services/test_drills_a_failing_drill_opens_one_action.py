"""Logging a failed drill, or one over the policy's target time, opens exactly one
corrective action on the drill's requirement (owner: the medical director, the LSO for
laser drills; due 30 days after the drill), audited; a passing drill opens none; an
imported failing drill opens one, and importing the file again opens no other."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from readiness.access import Principal
from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.importing.run import import_dir
from readiness.models import AuditEvent, CorrectiveAction, Staff
from readiness.policy.current import current_policy
from readiness.services.drills import ActionPlan, Timings, log_drill

# The faces load the policy and pass it into each write.
POLICY = current_policy()

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
OFFICER = Principal("olga", "officer")
NOW = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)  # 10:00 in Austin
# Drills are logged at 09:30 that day, after the imported ones (a passing drill held after
# a failing one means nothing is left to follow up).


@pytest.fixture
def world(db: Database) -> Database:
    """Two clinics, their staff and no drills (the import's good files but drills)."""
    report = import_dir(db, GOOD, dry_run=False, actor="test")
    assert not report.errors
    return db


def log(db: Database, scenario: str, outcome: str, **kwargs: object) -> list[CorrectiveAction]:
    args: dict[str, object] = {"held_at": datetime(2026, 3, 9, 9, 30)} | kwargs
    with db.write() as session:
        _drill, opened = log_drill(
            session, OFFICER, site_code="AUS1", scenario=scenario,
            participants=["S-102", "S-103"], outcome=outcome, now_utc=NOW,
            **args, policy=POLICY,  # type: ignore[arg-type]
        )  # fmt: skip
        return opened


def drill_actions(db: Database) -> list[CorrectiveAction]:
    with db.read() as session:
        query = select(CorrectiveAction).where(CorrectiveAction.source == "drill")
        return list(session.scalars(query.order_by(CorrectiveAction.id)))


def owner_of(db: Database, action: CorrectiveAction) -> str:
    with db.read() as session:
        return session.get_one(Staff, action.owner_pk).staff_id


def test_a_failed_drill_opens_one_action_that_keeps_it_failed(world: Database) -> None:
    before = len(drill_actions(world))
    (action,) = log(world, "anaphylaxis", "fail")
    assert len(drill_actions(world)) == before + 1
    assert (action.requirement, action.subject, action.severity, action.status) == (
        "drill.anaphylaxis",
        "AUS1",
        "major",
        "open",
    )
    assert action.due_on == date(2026, 4, 8)
    assert owner_of(world, action) == "S-101"  # the medical director
    assert action.description == (
        "Put right what went wrong in the anaphylaxis drill of 2026-03-09"
        " (it was recorded as failed) and repeat the drill"
    )
    with world.read() as session:
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.entity == "corrective_actions",
                AuditEvent.entity_id == str(action.id),
                AuditEvent.actor == "user:olga",
            )
        )
        items = compliance_items(session, current_policy(), sites=["AUS1"], now_utc=NOW)
    assert audited == 1
    row = items[items["requirement"] == "drill.anaphylaxis"]
    assert list(row["status"]) == ["failed"]


def test_a_drill_over_the_target_time_opens_one_action(world: Database) -> None:
    (action,) = log(world, "cardiac_arrest", "pass", timings=Timings(aed=240))
    assert action.requirement == "drill.cardiac_arrest"
    assert "(time to AED 240 s, target 180 s)" in action.description


def test_a_drill_on_target_opens_none(world: Database) -> None:
    assert log(world, "cardiac_arrest", "pass", timings=Timings(aed=180)) == []


def test_a_failing_drill_entered_late_with_a_pass_since_opens_none(world: Database) -> None:
    # import_good's AUS1 anaphylaxis drill of 2026-01-14 passed: already followed up.
    assert log(world, "anaphylaxis", "fail", held_at=datetime(2026, 1, 10, 9, 0)) == []


def test_actions_given_with_the_drill_are_its_only_ones(world: Database) -> None:
    plan = ActionPlan("Move the AED to the corridor", date(2026, 3, 20))
    (action,) = log(world, "cardiac_arrest", "fail", actions=[plan])
    assert (action.description, action.requirement) == (plan.description, "drill.cardiac_arrest")


def test_a_laser_drill_goes_to_the_laser_safety_officer(world: Database) -> None:
    (action,) = log(world, "laser_burn", "fail")
    assert owner_of(world, action) == "S-102"


def test_an_imported_failing_drill_opens_one_action_once(db: Database, tmp_path: Path) -> None:
    # import_good's PHX1 laser eye drill of 2025-10-21 failed, and none has passed since.
    assert not import_dir(db, GOOD, dry_run=False, actor="test").errors
    (action,) = drill_actions(db)
    assert (action.requirement, action.subject, action.due_on) == (
        "drill.laser_eye",
        "PHX1",
        date(2025, 11, 20),
    )
    assert owner_of(db, action) == "S-201"  # the LSO
    assert not import_dir(db, GOOD, dry_run=False, actor="test").errors
    # A corrected debrief amends the drill: still the same failed drill, no second action.
    again = tmp_path / "again"
    shutil.copytree(GOOD, again)
    drills = again / "drills.csv"
    drills.write_text(
        drills.read_text(encoding="utf-8").replace("Spare goggles", "Spare eyewear"),
        encoding="utf-8",
    )
    report = import_dir(db, again, dry_run=False, actor="test")
    assert report.counts["drills"].amended == 1
    assert [a.id for a in drill_actions(db)] == [action.id]
