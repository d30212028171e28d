"""What an officer records on the dashboard beyond the daily forms (correct an asset's
details, retire it, add a staff member, record a departure, mark a follow-up done, record
a document review with the file's name and SHA-256) each records once: the same submit
again (one idempotency key, the same values, as a double click sends them) adds nothing,
and a success clears the form. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from dashboard_world import TODAY, build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import (
    Asset,
    AssetStatusChange,
    AuditEvent,
    Incident,
    IncidentFollowup,
    SiteDocument,
    Staff,
)

PLAN = b"Emergency action plan, version 7: call 911, fetch the AED, ..."


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(db)
    pin_the_clock(monkeypatch, db)
    yield db


def page(name: str, role: str = "officer") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, role)
    return at.switch_page(f"pages/{name}.py").run()


def count(db: Database, model: type, *where: object) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def audited(db: Database, entity: str) -> int:
    """Audit events by the officer on a table."""
    return count(db, AuditEvent, AuditEvent.entity == entity, AuditEvent.actor == "user:officer")


def twice(
    at: AppTest,
    form: str,
    fill: Callable[[AppTest], None],
    submit: str,
    refill: Callable[[AppTest], None] | None = None,
) -> list[str]:
    """Submit the form twice with one idempotency key and the same values; the messages.

    `refill` fills the second time when the first took its choice off the list.
    """
    shown = []
    for n in range(2):
        at.session_state[f"{form}_form_key"] = f"{form}:double"
        (refill if n and refill else fill)(at)
        at.button(key=submit).click().run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        shown.append(at.success[0].value)
    assert shown[1].startswith("Already recorded, nothing added")
    return shown


def edit(at: AppTest) -> None:
    at.selectbox(key="edit_asset").set_value("AED-1")
    at.text_input(key="edit_serial_AED-1").input("SN-4471")
    at.date_input(key="edit_pads_AED-1").set_value(date(2027, 9, 30))
    at.text_input(key="edit_reason").input("serial and pads read off the unit")


def test_correcting_an_asset_records_once_with_its_reason(world: Database) -> None:
    at = page("equipment")
    first, _ = twice(at, "edit", edit, "edit_submit")
    assert first == "Changed the pads expiry date and serial number of AED-1."
    assert at.text_input(key="edit_reason").value == ""
    assert at.text_input(key="edit_serial_AED-1").value == "SN-4471"  # the saved details
    with world.read() as session:
        aed = session.scalars(select(Asset).where(Asset.asset_id == "AED-1")).one()
        assert (aed.serial_number, aed.pads_expire_on) == ("SN-4471", date(2027, 9, 30))
        reasons = session.scalars(
            select(AuditEvent.reason).where(
                AuditEvent.entity == "assets", AuditEvent.actor == "user:officer"
            )
        ).all()
    assert reasons == ["serial and pads read off the unit"]


def retire(at: AppTest) -> None:
    at.selectbox(key="retire_asset").set_value("KIT-1")
    retire_again(at)


def retire_again(at: AppTest) -> None:
    at.date_input(key="retire_on").set_value(date(2026, 3, 2))
    at.text_input(key="retire_reason").input("replaced by a new kit")


def test_retiring_records_once_from_its_date(world: Database) -> None:
    at = page("equipment")
    first, _ = twice(at, "retire", retire, "retire_submit", retire_again)
    assert first.startswith("Retired KIT-1") and first.endswith("from 2026-03-02.")
    assert count(world, AssetStatusChange, AssetStatusChange.status == "retired") == 1
    with world.read() as session:
        kit = session.scalars(select(Asset).where(Asset.asset_id == "KIT-1")).one()
        assert (kit.status, kit.retired_on) == ("retired", date(2026, 3, 2))
    assert not [a for a in at.selectbox(key="retire_asset").options if a.startswith("KIT-1 ")]


def join(at: AppTest) -> None:
    at.selectbox(key="join_site").set_value("AUS1")
    at.selectbox(key="join_role").set_value("rn")
    at.text_input(key="join_name").input("Sam Rivera")
    at.text_input(key="join_id").input("S-120")
    at.date_input(key="join_hired").set_value(date(2026, 3, 2))


def test_adding_a_staff_member_records_once(world: Database) -> None:
    at = page("staff")
    first, _ = twice(at, "join", join, "join_submit")
    assert first == "Added Sam Rivera (RN) at Clinic AUS1, employed from 2026-03-02."
    assert at.text_input(key="join_name").value == ""
    assert count(world, Staff, Staff.staff_id == "S-120") == 1
    assert audited(world, "staff") == 1


def leave(at: AppTest) -> None:
    at.selectbox(key="leave_person").set_value("S-2")
    leave_again(at)


def leave_again(at: AppTest) -> None:
    at.date_input(key="leave_on").set_value(date(2026, 3, 6))
    at.text_input(key="leave_reason").input("moved to another practice")


def test_a_departure_records_once(world: Database) -> None:
    at = page("staff")
    first, _ = twice(at, "leave", leave, "leave_submit", leave_again)
    assert first == "Recorded that Lee Park left on 2026-03-06."
    with world.read() as session:
        person = session.scalars(select(Staff).where(Staff.staff_id == "S-2")).one()
        assert (person.left_on, person.active) == (date(2026, 3, 6), False)
    assert audited(world, "staff") == 1


@pytest.fixture
def followups(world: Database) -> Database:
    """Two follow-ups of the world's incident."""
    with world.write() as session:
        incident = session.scalars(select(Incident)).one()
        for day in (date(2026, 3, 3), date(2026, 3, 24)):
            session.add(IncidentFollowup(incident_id=incident.id, due_on=day))
    return world


def test_a_followup_is_marked_done_once(followups: Database) -> None:
    at = page("incidents")
    first_label = at.selectbox(key="followup_id").options[0]
    assert first_label == "C-2026-0001 at AUS1 · due 2026-03-03"
    at.selectbox(key="followup_id").set_value(first_label)
    shown = []
    for _ in range(2):  # the second time the list holds only the later follow-up
        at.session_state["followup_form_key"] = "followup:double"
        at.text_area(key="followup_note").input("healed, no scarring")
        at.button(key="followup_submit").click().run()
        assert not at.exception, at.exception
        shown.append(" ".join([*(s.value for s in at.success), *(e.value for e in at.error)]))
    assert shown[0] == f"Marked the follow-up of {first_label} done on {TODAY}."
    assert "nothing" in shown[1]
    assert count(followups, IncidentFollowup, IncidentFollowup.done_on.is_not(None)) == 1
    with followups.read() as session:
        done = session.scalars(
            select(IncidentFollowup).where(IncidentFollowup.done_on.is_not(None))
        ).one()
    assert (done.due_on, done.note) == (date(2026, 3, 3), "healed, no scarring")


def review(at: AppTest) -> None:
    at.selectbox(key="doc_site").set_value("AUS1")
    at.selectbox(key="doc_type").set_value("emergency_plan")
    at.text_input(key="doc_by").input("Dr Maya Chen")
    at.file_uploader(key="doc_file").set_value(("plan-v7.pdf", PLAN, "application/pdf"))


def test_a_document_review_records_once_with_the_files_hash(world: Database) -> None:
    at = page("drills")
    first, _ = twice(at, "doc", review, "doc_submit")
    digest = hashlib.sha256(PLAN).hexdigest()
    assert first == (
        f"Recorded the emergency plan review at Clinic AUS1 on {TODAY}: plan-v7.pdf"
        f" (fingerprint {digest[:12]})."
    )
    assert at.text_input(key="doc_by").value == ""
    with world.read() as session:
        rows = session.execute(select(SiteDocument.title, SiteDocument.reference)).all()
    assert rows == [("plan-v7.pdf", f"sha256:{digest}")]
    plan_rows = at.dataframe[-1].value
    assert list(plan_rows["File"]) == ["plan-v7.pdf"]


def test_an_inspector_sees_none_of_these_forms(world: Database) -> None:
    keys = {
        "equipment": ("edit_submit", "retire_submit"),
        "staff": ("join_submit", "leave_submit"),
        "drills": ("doc_submit",),
    }
    for name, submits in keys.items():
        at = page(name, "inspector")
        assert not at.exception
        assert not [b for b in at.button if b.key in submits], name
