"""on_fail takes the failing asset out of service, audited with the reason; no slot is then owed."""

from __future__ import annotations

import json

from checklist_world import (
    ACTOR,
    BEFORE_TEN,
    LASER_OK,
    MONDAY,
    OPENING_OK,
    SITE,
    build_site,
    submit,
)
from sqlalchemy import select

from readiness.audit import records
from readiness.checklist import due_slots, templates_in_force
from readiness.db import Database
from readiness.models import Asset, AuditEvent


def _status(db: Database, asset_id: str) -> str:
    with db.read() as session:
        return session.scalars(select(Asset.status).where(Asset.asset_id == asset_id)).one()


def test_an_aed_not_ready_at_opening_is_taken_out_of_service(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    submission = submit(db, answers=OPENING_OK | {"aed_ready": False})

    (action,) = submission.actions
    assert (action.requirement, action.severity) == ("aed.daily_check", "critical")
    assert action.description.startswith("Take the AED out of service")
    assert submission.out_of_service == ["AED-1"]
    assert "taken out of service: AED-1" in submission.describe()
    assert _status(db, "AED-1") == "out_of_service"
    with db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "assets", AuditEvent.action == "update")
        ).one()
        slots = due_slots(session, SITE, MONDAY, BEFORE_TEN, templates_in_force())
    assert json.loads(event.after or "{}")["status"] == "out_of_service"
    assert f"checklist run {submission.run.id} (opening-daily)" in (event.reason or "")
    assert not any(slot.asset_id == "AED-1" for slot in slots)


def test_a_failed_laser_self_test_takes_that_laser_only_out(db: Database) -> None:
    with db.write() as session:
        build_site(session, lasers=2)
    submission = submit(
        db,
        template_id="laser-preuse-daily",
        asset_id="L-1",
        answers=LASER_OK | {"self_test": False},
    )
    assert submission.out_of_service == ["L-1"]
    assert (_status(db, "L-1"), _status(db, "L-2")) == ("out_of_service", "in_service")


def test_a_site_check_with_two_aeds_cannot_tell_which_and_switches_none_off(db: Database) -> None:
    with db.write() as session:
        site = build_site(session)
        second = Asset(asset_id="AED-2", site_id=site.id, kind="aed", name="second AED")
        records.create(session, second, actor=ACTOR)
    submission = submit(db, answers=OPENING_OK | {"aed_ready": False})
    assert submission.out_of_service == []
    assert len(submission.actions) == 1
