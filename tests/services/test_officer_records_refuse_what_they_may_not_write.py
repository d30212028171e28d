"""The officer's record services refuse, writing nothing: another role or another site's
officer, a screen older than the record, a date in the future, a note naming a patient,
a fingerprint that is not a SHA-256, an id in use. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from checklist_world import BEFORE_TEN, build_site
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness import clock
from readiness.access import AccessDenied, Principal
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Asset, AuditEvent, IncidentFollowup
from readiness.policy.current import current_policy
from readiness.services.asset_details import (
    AssetDetails,
    amend_asset_details,
    details_of,
    retire_asset,
)
from readiness.services.document_reviews import record_document_review
from readiness.services.followups import complete_followup
from readiness.services.incidents import IncidentReport, log_incident
from readiness.services.staff_members import NewStaff, add_staff

# The faces load the policy and pass it into each write.
POLICY = current_policy()

OFFICER = Principal("olga", "officer")
TODAY = date(2026, 3, 9)
INSPECTOR = Principal("ines", "inspector")
ELSEWHERE = Principal("pat", "officer", ("PHX1",))


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setattr(clock, "utc_now", lambda: BEFORE_TEN)
    with db.write() as session:
        build_site(session)
        build_site(session, "PHX1")
        logged = log_incident(
            session,
            OFFICER,
            IncidentReport(
                site_code="AUS1",
                occurred_at=datetime(2026, 3, 2, 14, 0),
                case_ref="C-2026-0007",
                incident_type="burn",
                severity="minor",
                followups=(date(2026, 3, 5),),
            ),
            now_utc=BEFORE_TEN,
            policy=POLICY,
        )
        assert logged.incident.id
    yield db


def events(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def refused(db: Database, write: Callable[[Session], object], error: type = UserError) -> str:
    """The refusal's sentence; nothing was written."""
    before = events(db)
    with pytest.raises(error) as caught, db.write() as session:
        write(session)
    assert events(db) == before
    return str(caught.value)


def followup_id(db: Database) -> int:
    with db.read() as session:
        return int(session.scalars(select(IncidentFollowup.id)).one())


def review(by: Principal, **changes: object) -> Callable[[Session], object]:
    args: dict[str, object] = {
        "site_code": "AUS1",
        "doc_type": "emergency_plan",
        "reviewed_on": date(2026, 3, 2),
        "reviewed_by": "Dr Maya Chen",
        "file_name": "plan.pdf",
        "sha256": "ab" * 32,
        "today": TODAY,
    } | changes
    return lambda session: record_document_review(session, by, **args, policy=POLICY)  # type: ignore[arg-type]


def test_other_roles_and_other_sites_are_refused(world: Database) -> None:
    fid = followup_id(world)
    for who in (INSPECTOR, ELSEWHERE):
        writes: list[Callable[[Session], object]] = [
            lambda s, w=who: retire_asset(s, w, asset_id="L-1", retired_on=TODAY, reason="sold"),
            lambda s, w=who: add_staff(
                s, w, NewStaff("S-9", "AUS1", "Sam", "rn", hired_on=TODAY), today=TODAY
            ),
            review(who),
            lambda s, w=who: complete_followup(
                s, w, followup_id=fid, done_on=TODAY, note="healed", today=TODAY
            ),
        ]
        for write in writes:
            refused(world, write, AccessDenied)


def test_an_edit_from_an_older_screen_is_refused(world: Database) -> None:
    with world.read() as session:
        aed = session.scalars(select(Asset).where(Asset.asset_id == "AED-1")).one()
        shown = details_of(aed)
    with world.write() as session:  # someone else corrects the serial first
        amend_asset_details(
            session,
            OFFICER,
            asset_id="AED-1",
            seen=shown,
            new=AssetDetails(**{**shown.__dict__, "serial_number": "SN-1"}),
            reason="read off the unit",
        )
    said = refused(
        world,
        lambda s: amend_asset_details(
            s,
            OFFICER,
            asset_id="AED-1",
            seen=shown,
            new=AssetDetails(**{**shown.__dict__, "location": "Room 2"}),
            reason="moved",
        ),
    )
    assert said.startswith("the details of AED-1 changed meanwhile: changed by user:olga at")


def test_dates_in_the_future_and_repeats_are_refused(world: Database) -> None:
    later = date(2026, 3, 10)
    assert "future" in refused(
        world,
        lambda s: retire_asset(
            s, OFFICER, asset_id="L-1", retired_on=later, reason="x", today=TODAY
        ),
    )
    assert "future" in refused(world, review(OFFICER, reviewed_on=later))
    with world.write() as session:
        retire_asset(session, OFFICER, asset_id="L-1", retired_on=TODAY, reason="sold")
    assert "already retired" in refused(
        world, lambda s: retire_asset(s, OFFICER, asset_id="L-1", retired_on=TODAY, reason="x")
    )
    assert "already used" in refused(
        world,
        lambda s: add_staff(
            s, OFFICER, NewStaff("S-1", "AUS1", "Sam", "rn", hired_on=TODAY), today=TODAY
        ),
    )


def test_a_followup_note_naming_a_patient_is_refused(world: Database) -> None:
    fid = followup_id(world)
    said = refused(
        world,
        lambda s: complete_followup(
            s,
            OFFICER,
            followup_id=fid,
            done_on=TODAY,
            note="Jane Doe, born 04/12/1988, healed",
            today=TODAY,
        ),
    )
    assert "the note" in said
    with world.write() as session:
        complete_followup(
            session, OFFICER, followup_id=fid, done_on=TODAY, note="healed", today=TODAY
        )
    assert "already done" in refused(
        world,
        lambda s: complete_followup(
            s, OFFICER, followup_id=fid, done_on=TODAY, note="healed", today=TODAY
        ),
    )


def test_a_review_without_a_sha256_is_refused(world: Database) -> None:
    assert "SHA-256" in refused(world, review(OFFICER, sha256="not-a-hash"))
    assert "choose the reviewed file" in refused(world, review(OFFICER, file_name=" "))
    assert "no document review of type" in refused(world, review(OFFICER, doc_type="menu"))
    with world.write() as session:
        review(OFFICER)(session)
    assert "already recorded" in refused(world, review(OFFICER))
