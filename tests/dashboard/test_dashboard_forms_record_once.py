"""Every write form records once: a success clears the form, and the same submit again (the
same idempotency key and values, as a double click or a retry sends them) records nothing
more; the incident form refuses a case reference already used. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from dashboard_world import BEFORE_TEN, build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import (
    Asset,
    Certification,
    CorrectiveAction,
    Drill,
    Incident,
    ServiceEvent,
)
from readiness.services.corrective_actions import open_corrective_action


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(db)
    pin_the_clock(monkeypatch, db)
    yield db


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    return at.switch_page(f"pages/{name}.py").run()


def count(db: Database, model: type, *where: object) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def twice(at: AppTest, form: str, fill: Callable[[AppTest], None], submit: str) -> list[str]:
    """Submit the form twice with one idempotency key and the same values; the messages."""
    shown = []
    for _ in range(2):
        at.session_state[f"{form}_form_key"] = f"{form}:double"
        fill(at)
        at.button(key=submit).click().run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        shown.append(at.success[0].value)
    return shown


def service(at: AppTest) -> None:
    at.selectbox(key="svc_asset").set_value("L-1")
    at.selectbox(key="svc_kind").set_value("inspection")
    at.text_input(key="svc_by").input("Acme Lasers")
    at.text_area(key="svc_notes").input("Annual inspection")


def test_a_service_records_once_and_the_form_clears(world: Database) -> None:
    at = page("equipment")
    first, second = twice(at, "svc", service, "svc_submit")
    assert first.startswith("Recorded the inspection of L-1")
    assert second.startswith("Already recorded, nothing added")
    assert at.text_input(key="svc_by").value == ""
    assert count(world, ServiceEvent, ServiceEvent.kind == "inspection") == 1


def renewal(at: AppTest) -> None:
    at.selectbox(key="cert_person").set_value("S-2")
    at.selectbox(key="cert_type").set_value("acls")
    at.text_input(key="cert_card").input("ACLS-77")


def test_a_renewal_records_once_and_names_the_certificate(world: Database) -> None:
    at = page("staff")
    first, second = twice(at, "cert", renewal, "cert_submit")
    assert first.startswith("Added Advanced Cardiovascular Life Support (AHA ACLS) for ")
    assert "S-2" not in first and "acls" not in first
    assert second.startswith("Already recorded, nothing added")
    assert at.text_input(key="cert_card").value == ""
    assert count(world, Certification, Certification.cert_type == "acls") == 1


def incident(at: AppTest) -> None:
    at.text_input(key="inc_ref").input("C-2026-0042")
    at.text_area(key="inc_description").input("Redness after treatment")


def test_an_incident_records_once(world: Database) -> None:
    at = page("incidents")
    first, second = twice(at, "inc", incident, "inc_submit")
    assert first.startswith("Logged incident C-2026-0042 at Clinic AUS1")
    assert second.startswith("Already recorded, nothing added")
    assert at.text_area(key="inc_description").value == ""
    assert count(world, Incident, Incident.case_ref == "C-2026-0042") == 1


def test_an_incident_with_a_case_reference_in_use_is_refused(world: Database) -> None:
    at = page("incidents")
    at.text_input(key="inc_ref").input("C-2026-0001")  # the world's incident
    at.text_area(key="inc_description").input("Another patient, another day")
    at.button(key="inc_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "the case reference C-2026-0001 is already used by another incident: nothing was"
        " recorded (to correct that incident, amend it)"
    ]
    assert count(world, Incident, Incident.case_ref == "C-2026-0001") == 1
    assert at.text_area(key="inc_description").value == "Another patient, another day"


def drill(at: AppTest) -> None:
    at.selectbox(key="drill_scenario").set_value("fire")
    at.multiselect(key="drill_people").set_value(["S-1"])
    at.text_area(key="drill_debrief").input("Everyone out in 2 minutes")


def test_a_drill_records_once(world: Database) -> None:
    at = page("drills")
    first, second = twice(at, "drill", drill, "drill_submit")
    assert first.startswith("Logged the fire drill at Clinic AUS1 (pass)")
    assert second.startswith("Already recorded, nothing added")
    assert at.multiselect(key="drill_people").value == []
    assert count(world, Drill, Drill.scenario == "fire") == 1


def status(at: AppTest) -> None:
    at.selectbox(key="status_asset").set_value("L-1")
    at.radio(key="status_new").set_value("out_of_service")
    at.text_input(key="status_reason").input("Handpiece cracked")


def test_a_status_change_records_once(world: Database) -> None:
    at = page("equipment")
    first, second = twice(at, "status", status, "status_submit")
    assert first.endswith("is now out of service.")
    assert second.startswith("Already recorded, nothing added")
    with world.read() as session:
        assert session.scalar(select(Asset.status).where(Asset.asset_id == "L-1")) == (
            "out_of_service"
        )


def test_closing_an_action_twice_closes_one(world: Database) -> None:
    with world.write() as session:  # a second open action, listed after the world's
        open_corrective_action(
            session,
            site_code="AUS1",
            description="Replace the eyewear strap",
            severity="minor",
            due_on=date(2026, 3, 30),
            actor="test",
            now_utc=BEFORE_TEN,
        )
    at = page("incidents")
    chosen = at.selectbox(key="close_id").options[0]
    number = int(chosen.split()[0].lstrip("#"))
    shown = []
    at.selectbox(key="close_id").set_value(number)
    # The second time the list shows only the other action, chosen by default: the same
    # key must still record nothing (a stale label is refused too: see the close-action test).
    for _ in range(2):
        at.session_state["close_form_key"] = "close:double"
        at.text_area(key="close_resolution").input("Moved to the treatment room")
        at.button(key="close_submit").click().run()
        assert not at.exception, at.exception
        shown.append(" ".join([*(s.value for s in at.success), *(e.value for e in at.error)]))
    assert shown[0].startswith(f"Closed corrective action #{number} AUS1")
    assert "nothing" in shown[1]
    assert count(world, CorrectiveAction, CorrectiveAction.status == "closed") == 1
    assert count(world, CorrectiveAction, CorrectiveAction.status == "open") == 1
