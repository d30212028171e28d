"""Every dashboard action checks the user's role and site in its own call path."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from checklist_world import BEFORE_TEN, build_site
from sqlalchemy import select

from readiness.access import AccessDenied, Principal
from readiness.audit import chain as audit_chain
from readiness.db import Database
from readiness.export import download
from readiness.importing import upload
from readiness.models import AuditEvent
from readiness.policy.current import current_policy
from readiness.services.assets import record_service_event, set_asset_status
from readiness.services.certifications import add_certification
from readiness.services.checklist_runs import submit_checklist_as
from readiness.services.corrective_actions import close_corrective_action_as
from readiness.services.drills import ActionPlan, log_drill
from readiness.services.incidents import IncidentReport, log_incident
from readiness.services.users import create_user_as, disable_user_as

# The faces load the policy and pass it into each write.
POLICY = current_policy()

OFFICER = Principal("olga", "officer")
PHX_OFFICER = Principal("pat", "officer", ("PHX1",))
INSPECTOR = Principal("ines", "inspector")
STAFF = Principal("sam", "staff", ("AUS1",))
TODAY = date(2026, 3, 9)


@pytest.fixture
def world(sqlite_db: Database) -> Database:
    with sqlite_db.write() as session:
        build_site(session)
        build_site(session, "PHX1")
    return sqlite_db


SERVICE: dict[str, object] = {
    "asset_id": "L-1",
    "kind": "service",
    "performed_on": TODAY,
    "performed_by": "Acme",
    "result": "pass",
    "today": TODAY,
}


@pytest.mark.parametrize(
    ("user", "message"),
    [
        (INSPECTOR, "the inspector role may not record service or calibration"),
        (STAFF, "the staff role may not record service or calibration"),
        (PHX_OFFICER, "pat may not act on site AUS1"),
        (None, "sign in first"),
    ],
)
def test_recording_a_service_needs_the_role_and_the_site(
    world: Database, user: Principal | None, message: str
) -> None:
    with world.write() as session, pytest.raises(AccessDenied, match=message):
        record_service_event(session, user, **SERVICE, policy=POLICY)  # type: ignore[arg-type]


def test_each_write_names_the_signed_in_user(world: Database) -> None:
    with world.write() as session:
        record_service_event(session, OFFICER, **SERVICE, policy=POLICY)  # type: ignore[arg-type]
        set_asset_status(
            session, OFFICER, asset_id="L-1", status="out_of_service", reason="sent away"
        )
        add_certification(
            session,
            OFFICER,
            staff_id="S-1",
            cert_type="bls",
            issued_on=TODAY,
            today=TODAY,
            policy=POLICY,
        )
        log_drill(
            session, OFFICER, site_code="AUS1", scenario="fire", held_at=datetime(2026, 3, 9, 8, 0),
            participants=["S-1"], outcome="pass", now_utc=BEFORE_TEN, policy=POLICY,
        )  # fmt: skip
        log_incident(
            session, OFFICER,
            IncidentReport("AUS1", datetime(2026, 3, 9, 8, 0), "C-2026-0001", "syncope", "minor"),
            now_utc=BEFORE_TEN, policy=POLICY,
        )  # fmt: skip
    with world.read() as session:
        actors = session.scalars(select(AuditEvent.actor).where(AuditEvent.actor != "test")).all()
    # Five writes; the status change is two records (the asset and its history row).
    assert actors == ["user:olga"] * 6


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s, db: close_corrective_action_as(s, INSPECTOR, 1, "done", "me", BEFORE_TEN),
            "may not open or close",
        ),
        (
            lambda s, db: create_user_as(
                s, OFFICER, username="x1", role="admin", password="p" * 12
            ),
            "may not manage users",
        ),
        (
            lambda s, db: disable_user_as(s, Principal("root", "admin"), "root"),
            "cannot disable your own",
        ),
        (
            lambda s, db: download.export_bytes(db, STAFF, ["AUS1"], TODAY, TODAY, BEFORE_TEN),
            "may not download",
        ),
        (
            lambda s, db: download.export_bytes(
                db, PHX_OFFICER, ["AUS1"], TODAY, TODAY, BEFORE_TEN
            ),
            "may not act on site AUS1",
        ),
        (
            lambda s, db: upload.import_upload(
                db, PHX_OFFICER, "sites", Path("x.csv"), dry_run=True
            ),
            "user of all sites",
        ),
        (
            lambda s, db: upload.import_upload(db, INSPECTOR, "sites", Path("x.csv"), dry_run=True),
            "may not import",
        ),
        (lambda s, db: audit_chain.verify_as(s, STAFF), "may not verify"),
        (
            lambda s, db: log_drill(
                s,
                STAFF,
                site_code="AUS1",
                scenario="fire",
                held_at=BEFORE_TEN,
                participants=["S-1"],
                outcome="pass",
                now_utc=BEFORE_TEN,
                policy=POLICY,
            ),
            "may not log drills",
        ),
        (
            lambda s, db: add_certification(
                s,
                INSPECTOR,
                staff_id="S-1",
                cert_type="bls",
                issued_on=TODAY,
                today=TODAY,
                policy=POLICY,
            ),
            "may not add",
        ),
    ],
)
def test_the_wrapped_services_refuse_what_the_matrix_refuses(
    world: Database, call, message: str
) -> None:  # type: ignore[no-untyped-def]
    with world.write() as session:
        log_drill(
            session, OFFICER, site_code="AUS1", scenario="fire", held_at=BEFORE_TEN,
            participants=["S-1"], outcome="fail", now_utc=BEFORE_TEN,
            actions=[ActionPlan("check the extinguisher", TODAY)], policy=POLICY,
        )  # fmt: skip
    with world.write() as session, pytest.raises(Exception, match=message):
        call(session, world)


def test_a_submission_checks_the_users_site(world: Database) -> None:
    from checklist_world import OPENING_OK

    with world.write() as session, pytest.raises(AccessDenied, match="may not act on site PHX1"):
        submit_checklist_as(
            session, STAFF, site_code="PHX1", template_id="opening-daily", staff_id="PHX1-S1",
            answers=OPENING_OK, now_utc=BEFORE_TEN,
        )  # fmt: skip
