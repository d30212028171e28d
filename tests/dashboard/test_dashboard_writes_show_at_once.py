"""Forms write through the services as the signed-in user, and the pages show the change at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, labels, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from today_page import fill_opening, sign

from readiness.db import Database
from readiness.models import AuditEvent, CorrectiveAction, ServiceEvent


@pytest.fixture
def world(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    yield sqlite_db


def _as(role: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, role)
    return at.switch_page(f"pages/{page}.py").run()


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _last_actor(db: Database, entity: str) -> str:
    with db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.seq.desc())
        ).first()
    assert event is not None
    return event.actor


def test_a_calibration_is_recorded_and_listed(world: Database) -> None:
    at = _as("officer", "equipment")
    at.selectbox(key="svc_asset").set_value("L-1")
    at.selectbox(key="svc_kind").set_value("calibration")
    at.text_input(key="svc_by").input("Acme Lasers")
    at.text_input(key="svc_cert").input("CAL-2026-77")
    at.button(key="svc_submit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Recorded the calibration of L-1 on 2026-03-09 (pass)")
    assert "next due 2027-03-09" in at.success[0].value  # from the policy's 12 months
    at.selectbox(key="equipment_history_asset").set_value("L-1").run()
    history = at.dataframe[1].value
    assert list(history["Certificate number"])[:1] == ["CAL-2026-77"]
    assert at.text_input(key="svc_cert").value == ""  # the form starts afresh
    with world.read() as session:
        assert session.scalars(select(ServiceEvent.kind)).all() == ["service", "calibration"]
    assert _last_actor(world, "service_events") == "user:officer"


def test_closing_an_action_lowers_the_overview_count_at_once(world: Database) -> None:
    overview = _as("officer", "overview")
    assert _metric(overview, "Open actions") == "1"
    at = _as("officer", "incidents")
    at.text_area(key="close_resolution").input("Epinephrine moved; staff briefed")
    at.button(key="close_submit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Closed corrective action #1 AUS1 · due 2026-03-20")
    overview.run()
    assert _metric(overview, "Open actions") == "0"
    with world.read() as session:
        action = session.get(CorrectiveAction, 1)
        assert action is not None and action.closed_by == "officer"
    assert _last_actor(world, "corrective_actions") == "user:officer"


def test_the_opening_check_turns_the_overview_item_ok(world: Database) -> None:
    officer = _as("officer", "overview")
    officer.session_state["overview_show_attention"] = True  # the section a click opens
    officer.run()
    officer.multiselect(key="overview_f_site").set_value(["AUS1"])
    officer.multiselect(key="overview_f_requirement").set_value(["aed.daily_check"])
    officer.checkbox(key="overview_include_ok").check().run()
    before = officer.dataframe[0].value
    assert labels(before, "Status") == ["Due soon"]  # due by 10:00 today
    staff = _as("staff", "today")
    sign(fill_opening(staff))
    assert staff.success.len == 1
    assert _last_actor(world, "checklist_runs") == "user:staff"
    officer.run()
    after = officer.dataframe[0].value
    assert labels(after, "Status") == ["OK"]
