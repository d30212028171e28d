"""What the officer records on the dashboard changes what the engine and the reminders see:
a document review with its file's SHA-256 makes the plan review ok; a follow-up marked
done leaves the reminders' list; a retired asset owes nothing from its retirement day on;
a new staff member owes their certificates from their hire day. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from checklist_world import BEFORE_TEN, build_site
from compliance_support import items_of, status_of
from sqlalchemy import select

from readiness import clock
from readiness.access import Principal
from readiness.db import Database
from readiness.models import AuditEvent, Site, SiteDocument
from readiness.policy.current import current_policy
from readiness.reminders.facts import load_open_followups
from readiness.services.asset_details import retire_asset
from readiness.services.document_reviews import record_document_review
from readiness.services.followups import complete_followup
from readiness.services.incidents import IncidentReport, log_incident
from readiness.services.staff_members import NewStaff, add_staff

# The faces load the policy and pass it into each write.
POLICY = current_policy()

OFFICER = Principal("olga", "officer")
TODAY = date(2026, 3, 9)


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setattr(clock, "utc_now", lambda: BEFORE_TEN)
    with db.write() as session:
        build_site(session)
    yield db


def test_a_review_with_its_files_hash_makes_the_plan_review_ok(world: Database) -> None:
    assert status_of(items_of(world, now_utc=BEFORE_TEN), "doc.emergency_plan", "AUS1") != "ok"
    content = b"%PDF-1.7 emergency action plan v7"
    with world.write() as session:
        record_document_review(
            session,
            OFFICER,
            site_code="AUS1",
            doc_type="emergency_plan",
            reviewed_on=date(2026, 3, 2),
            reviewed_by="Dr Maya Chen",
            file_name="plan-v7.pdf",
            sha256=hashlib.sha256(content).hexdigest().upper(),
            today=TODAY,
            policy=POLICY,
        )
    assert status_of(items_of(world, now_utc=BEFORE_TEN), "doc.emergency_plan", "AUS1") == "ok"
    with world.read() as session:
        review = session.scalars(select(SiteDocument)).one()
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "site_documents")
        ).one()
    assert review.reference == f"sha256:{hashlib.sha256(content).hexdigest()}"
    assert (review.title, review.recorded_by, event.actor) == (
        "plan-v7.pdf",
        "user:olga",
        "user:olga",
    )


def test_a_followup_marked_done_leaves_the_reminders(world: Database) -> None:
    with world.write() as session:
        logged = log_incident(
            session,
            OFFICER,
            IncidentReport(
                site_code="AUS1",
                occurred_at=datetime(2026, 3, 2, 14, 0),
                case_ref="C-2026-0007",
                incident_type="burn",
                severity="minor",
                followups=(date(2026, 3, 5), date(2026, 3, 30)),
            ),
            now_utc=BEFORE_TEN,
            policy=POLICY,
        )
        incident_id = logged.incident.id
    with world.read() as session:
        sites = {site.id: site for site in session.scalars(select(Site))}
        due = load_open_followups(session, sites)
    assert [f.due_on for f in due] == [date(2026, 3, 5), date(2026, 3, 30)]
    with world.write() as session:
        complete_followup(
            session,
            OFFICER,
            followup_id=due[0].id,
            done_on=date(2026, 3, 6),
            note="healed, no scarring",
            today=TODAY,
        )
    with world.read() as session:
        left = load_open_followups(session, sites)
        reasons = session.scalars(
            select(AuditEvent.reason).where(AuditEvent.entity == "incident_followups")
        ).all()
    assert [(f.incident_id, f.due_on) for f in left] == [(incident_id, date(2026, 3, 30))]
    assert "follow-up done" in reasons


def test_a_retired_asset_owes_nothing_from_its_retirement_day(world: Database) -> None:
    before = items_of(world, now_utc=BEFORE_TEN)
    assert status_of(before, "laser.service", "L-1") not in ("ok", "not_applicable")
    with world.write() as session:
        retire_asset(session, OFFICER, asset_id="L-1", retired_on=date(2026, 3, 2), reason="sold")
    after = items_of(world, now_utc=BEFORE_TEN)
    assert after[(after["subject"] == "L-1") & (after["status"] != "not_applicable")].empty


def test_a_new_staff_member_owes_their_certificates_from_hire(world: Database) -> None:
    with world.write() as session:
        person = add_staff(
            session,
            OFFICER,
            NewStaff("S-120", "AUS1", "Sam Rivera", "rn", hired_on=date(2026, 3, 2)),
            today=TODAY,
        )
        assert person.active and person.left_on is None
    items = items_of(world, now_utc=BEFORE_TEN)
    assert status_of(items, "cert.bls", "S-120") == "missing"
    with world.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "staff", AuditEvent.actor == "user:olga")
        ).one()
    assert event.action == "create"
