"""Every free-text field of incidents, drills, checklists, corrective actions and service
events refuses a patient identifier, says what it found and what to write, and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from checklist_world import ACTOR, AFTER_TEN, OPENING_OK, SITE, build_site, submit
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.access import Principal
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import (
    AuditEvent,
    ChecklistRun,
    CorrectiveAction,
    Drill,
    Incident,
    ServiceEvent,
)
from readiness.policy.answers import AnswerError
from readiness.policy.current import current_policy
from readiness.policy.handouts import current_protocols, version_of
from readiness.services.assets import record_service_event
from readiness.services.checklist_runs import submit_checklist
from readiness.services.corrective_actions import (
    close_corrective_action,
    open_corrective_action,
)
from readiness.services.drills import ActionPlan, log_drill
from readiness.services.incidents import IncidentReport, log_incident

# The faces load the policy and pass it into each write.
POLICY = current_policy()

OFFICER = Principal("olga", "officer")
JANE = "Jane Doe DOB 04/12/1985 tel 555-867-5309"
FOUND = (
    "names a patient identifier: DOB; looks like a date of birth: 04/12/1985;"
    " looks like a phone number: 555-867-5309; write a pseudonymous case reference"
)
TODAY = AFTER_TEN.date()
TIMEOUT = {
    "case_ref": "C-2026-0042",
    **{
        item: True
        for item in (
            "consent_signed",
            "screen_pregnancy",
            "screen_anticoagulants",
            "screen_clotting",
            "screen_photosensitising",
            "eyewear_everyone",
            "cooling_on",
            "fire_precautions",
        )
    },
    "aftercare_handout": version_of(current_protocols(), "laser_vein"),
}


def incident(session: Session, **text: str) -> object:
    report = IncidentReport(
        site_code=SITE,
        occurred_at=datetime(2026, 3, 9, 9, 0),
        case_ref="C-2026-0001",
        incident_type="burn",
        severity="minor",
        **text,  # type: ignore[arg-type]
    )
    return log_incident(session, OFFICER, report, now_utc=AFTER_TEN, policy=POLICY)


def drill(session: Session, **kwargs: object) -> object:
    return log_drill(
        session, OFFICER, site_code=SITE, scenario="anaphylaxis",
        held_at=datetime(2026, 3, 9, 9, 0), participants=["S-1", "S-2"], outcome="pass",
        now_utc=AFTER_TEN, **kwargs, policy=POLICY,  # type: ignore[arg-type]
    )  # fmt: skip


def opened(session: Session, description: str) -> object:
    return open_corrective_action(
        session, site_code=SITE, description=description, severity="minor",
        due_on=date(2026, 3, 20), actor=ACTOR, now_utc=AFTER_TEN,
    )  # fmt: skip


def service(session: Session, notes: str) -> object:
    return record_service_event(
        session, OFFICER, asset_id="AED-1", kind="inspection", performed_on=TODAY,
        performed_by="ZOLL field service", result="pass", today=TODAY, notes=notes, policy=POLICY,
    )  # fmt: skip


def checklist(answers: dict[str, object], **kwargs: object) -> Callable[[Session], object]:
    def write(session: Session) -> object:
        args: dict[str, object] = {
            "site_code": SITE, "template_id": "opening-daily", "staff_id": "S-1",
            "answers": answers, "actor": ACTOR, "now_utc": AFTER_TEN,
        } | kwargs  # fmt: skip
        return submit_checklist(session, **args)  # type: ignore[arg-type]

    return write


FIELDS: list[tuple[str, Callable[[Session], object], type, str]] = [
    ("incident description", lambda s: incident(s, description=JANE), Incident, "what happened"),
    ("incident actions", lambda s: incident(s, actions_taken=JANE), Incident, "what was done"),
    ("incident referral", lambda s: incident(s, referral=JANE), Incident, "the referral"),
    ("drill debrief", lambda s: drill(s, debrief=JANE), Drill, "the debrief"),
    (
        "drill corrective action",
        lambda s: drill(s, actions=[ActionPlan(JANE, date(2026, 3, 20))]),
        Drill,
        "corrective action 1",
    ),
    (
        "time-out case reference item",
        checklist(TIMEOUT | {"case_ref": JANE}, template_id="procedure-timeout", asset_id="L-1"),
        ChecklistRun,
        "Case reference (pseudonymous, no patient name or date of birth):",
    ),
    (
        "checklist item note",
        checklist(OPENING_OK | {"o2_psi.note": JANE}),
        ChecklistRun,
        "Oxygen",
    ),
    ("action description", lambda s: opened(s, JANE), CorrectiveAction, "the description"),
    ("service event notes", lambda s: service(s, JANE), ServiceEvent, "the note"),
]  # fmt: skip


def counts(db: Database, model: type) -> tuple[int, int]:
    with db.read() as session:
        rows = session.scalar(select(func.count()).select_from(model))
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        return rows or 0, events or 0


@pytest.fixture
def clinic(db: Database) -> Database:
    with db.write() as session:
        build_site(session)
    return db


@pytest.mark.parametrize(
    ("write", "model", "field"), [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS]
)
def test_the_field_refuses_an_identifier_and_stores_nothing(
    clinic: Database, write: Callable[[Session], object], model: type, field: str
) -> None:
    before = counts(clinic, model)
    with pytest.raises((UserError, AnswerError)) as caught, clinic.write() as session:
        write(session)
    message = str(caught.value)
    assert field in message
    assert FOUND in message
    assert counts(clinic, model) == before


def test_a_resolution_with_an_identifier_leaves_the_action_open(clinic: Database) -> None:
    with clinic.write() as session:
        action_id = opened(session, "Replace the cracked eyewear").id  # type: ignore[attr-defined]
    before = counts(clinic, AuditEvent)
    refused = pytest.raises(UserError, match="the resolution looks like an e-mail address")
    with refused, clinic.write() as session:
        close_corrective_action(
            session, action_id, "told jane.doe@example.com", "Ana", ACTOR, AFTER_TEN
        )
    with clinic.read() as session:
        assert session.get_one(CorrectiveAction, action_id).status == "open"
    assert counts(clinic, AuditEvent) == before


def test_clinical_text_and_a_follow_up_date_are_stored(clinic: Database) -> None:
    clinical = "1064 nm at 35 J/cm2, 3 ms; BP 120/80; follow up 2026-03-12; lot EPA-2410"
    with clinic.write() as session:
        incident(session, description=clinical)
        drill(session, debrief="time to AED 140 s")
        service(session, "seal 004512 replaced")
    submit(clinic, answers=OPENING_OK | {"o2_psi.note": clinical}, now_utc=AFTER_TEN)
    with clinic.read() as session:
        assert session.scalar(select(Incident.description)) == clinical
        assert session.scalar(select(Drill.debrief)) == "time to AED 140 s"


def test_the_checklist_refusal_is_placed_under_its_item(clinic: Database) -> None:
    with pytest.raises(AnswerError) as caught:
        submit(clinic, answers=OPENING_OK | {"o2_psi.note": "MRN 12345"}, now_utc=AFTER_TEN)
    (problem,) = caught.value.problems
    assert (problem.field, problem.item_id) == ("o2_psi.note", "o2_psi")
    assert "looks like a medical record number: MRN 12345" in problem.for_people
