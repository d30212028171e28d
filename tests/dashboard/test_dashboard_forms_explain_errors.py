"""A form with a mistake says what is wrong in a sentence and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import Incident, ServiceEvent
from readiness.policy.handouts import current_protocols
from readiness.services import assets


@pytest.fixture
def world(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    yield sqlite_db


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    return at.switch_page(f"pages/{page}.py").run()


def test_a_case_reference_that_looks_like_a_name_is_refused(world: Database) -> None:
    at = _page("incidents")
    at.text_input(key="inc_ref").input("Jane Doe")
    at.button(key="inc_submit").click().run()
    assert not at.exception
    assert "looks like a date or a name" in at.error[0].value
    at.text_input(key="inc_ref").input("03/04/1985")
    at.button(key="inc_submit").click().run()
    assert "looks like a date or a name" in at.error[0].value
    assert _count(world, Incident) == 1
    assert at.text_input(key="inc_ref").value == "03/04/1985"  # kept, to be corrected


def test_a_reportable_incident_gets_its_states_deadline(world: Database) -> None:
    at = _page("incidents")
    assert at.text_input(key="inc_ref").value == "C-2026-0002"  # the next free reference
    at.checkbox(key="inc_reportable").check()
    at.button(key="inc_submit").click().run()
    assert not at.exception
    assert at.success[0].value == (
        "Logged incident C-2026-0002 at Clinic AUS1. Protocol followed: Laser burn or laser"
        f" fire on a patient (version {current_protocols().version_of('laser_burn')})."
        " The policy has no reporting rule for this site (no state set): check the state's rules."
    )
    assert at.text_input(key="inc_ref").value == "C-2026-0003"


def test_a_calibration_without_its_certificate_is_refused(world: Database) -> None:
    at = _page("equipment")
    at.selectbox(key="svc_kind").set_value("calibration")
    at.text_input(key="svc_by").input("Acme Lasers")
    at.button(key="svc_submit").click().run()
    assert [e.value for e in at.error] == ["a calibration needs its certificate number"]
    assert _count(world, ServiceEvent) == 1


def test_an_unexpected_failure_is_a_sentence_not_a_traceback(
    world: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(assets, "set_asset_status", broken)
    at = _page("equipment")
    at.text_input(key="status_reason").input("sent for repair")
    at.button(key="status_submit").click().run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("Something went wrong and nothing was recorded.")
    assert "disk on fire" not in error.value
