"""A staff member acknowledges their site's emergency plan: signed in their own name (or
another's with that person's PIN), audited, recorded once, and refused when the plan
changed after the page showed it."""

from __future__ import annotations

import pytest
from checklist_world import ACTOR, BEFORE_TEN, build_site
from sqlalchemy import func, select

from readiness.access import AccessDenied, Principal
from readiness.compliance.plan_versions import plan_versions
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, PlanAcknowledgement, Site, Staff
from readiness.services.plan_acknowledgements import acknowledge_plan
from readiness.services.signatures import set_pin
from readiness.services.site_contacts import change_site_plan

ANA = Principal("ana", "staff", ("AUS1",), staff_id="S-1")
OFFICER = Principal("officer", "officer", None)


def version(db: Database) -> str:
    with db.read() as session:
        site = session.scalars(select(Site).where(Site.code == "AUS1")).one()
        return plan_versions(session, [site.id])[site.id]


def acknowledge(db: Database, by: Principal, staff_id: str = "S-1", **kwargs: object) -> str:
    args: dict[str, object] = {"plan_version": version(db), "pin": None, "key": None}
    args.update(kwargs)
    with db.write() as session:
        done = acknowledge_plan(
            session, by, site_code="AUS1", staff_id=staff_id, now_utc=BEFORE_TEN, **args
        )  # type: ignore[arg-type]
        return done.describe()


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def site_db(db: Database) -> Database:
    with db.write() as session:
        build_site(session)
    return db


def test_own_acknowledgement_is_recorded_once_and_audited(site_db: Database) -> None:
    before = count(site_db, AuditEvent)
    text = acknowledge(site_db, ANA, key="ack-1")
    assert text.startswith("Ana Lopez acknowledged the emergency plan (version ")
    assert text.endswith("on 09 March 2026.")
    again_same_key = acknowledge(site_db, ANA, key="ack-1")
    again_new_key = acknowledge(site_db, ANA, key="ack-2")
    assert again_same_key.startswith("Already recorded")
    assert again_new_key.startswith("Already recorded")
    assert count(site_db, PlanAcknowledgement) == 1
    assert count(site_db, AuditEvent) == before + 1
    with site_db.read() as session:
        record = session.scalars(select(PlanAcknowledgement)).one()
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (record.signature_name, record.signature_meaning) == ("Ana Lopez", "acknowledged")
    assert record.plan_version == version(site_db)
    assert event is not None and (event.entity, event.actor) == (
        "plan_acknowledgements",
        "user:ana",
    )


def test_another_persons_name_takes_their_pin(site_db: Database) -> None:
    with pytest.raises(UserError, match="Lee Park has no sign-off PIN"):
        acknowledge(site_db, ANA, "S-2")
    with site_db.write() as session:
        lee = session.scalars(select(Staff).where(Staff.staff_id == "S-2")).one()
        set_pin(session, lee, "4821", ACTOR)
    with pytest.raises(UserError, match="takes Lee Park's PIN"):
        acknowledge(site_db, OFFICER, "S-2")
    with pytest.raises(UserError, match="wrong PIN"):
        acknowledge(site_db, OFFICER, "S-2", pin="0000")
    assert count(site_db, PlanAcknowledgement) == 0
    acknowledge(site_db, OFFICER, "S-2", pin="4821")
    assert count(site_db, PlanAcknowledgement) == 1


def test_a_plan_changed_since_the_page_showed_it_is_refused(site_db: Database) -> None:
    shown = version(site_db)
    with site_db.write() as session:
        site = session.scalars(select(Site).where(Site.code == "AUS1")).one()
        change_site_plan(
            session,
            site,
            effective_from=BEFORE_TEN.date(),
            reason="numbers posted",
            actor=ACTOR,
            contacts={"emergency_number": "911"},
        )
    assert version(site_db) != shown
    with pytest.raises(UserError, match="plan changed while this page was open"):
        acknowledge(site_db, ANA, plan_version=shown)
    assert count(site_db, PlanAcknowledgement) == 0


def test_only_a_covering_user_may_acknowledge(site_db: Database) -> None:
    elsewhere = Principal("bo", "staff", ("DAL1",), staff_id="S-1")
    inspector = Principal("ines", "inspector", None)
    for user in (elsewhere, inspector):
        with pytest.raises(AccessDenied):
            acknowledge(site_db, user)
    assert count(site_db, PlanAcknowledgement) == 0
