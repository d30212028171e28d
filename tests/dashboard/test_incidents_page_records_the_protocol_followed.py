"""The incident form records the protocol followed: left as it is, the type's own (a burn:
the laser burn protocol) with its version, said in the success message and shown in the
incident log; "None followed" for a type that has a protocol is refused until a reason is
given, and nothing is recorded meanwhile. Streamlit AppTest; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import Incident
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.handouts import current_protocols

BURN = "Laser burn or laser fire on a patient"


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(db)
    pin_the_clock(monkeypatch, db)
    yield db


def _incidents_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    return at.switch_page("pages/incidents.py").run()


def _stored(db: Database, ref: str) -> Incident | None:
    with db.read() as session:
        return session.scalars(select(Incident).where(Incident.case_ref == ref)).one_or_none()


def test_the_type_protocol_is_recorded_by_default(world: Database) -> None:
    at = _incidents_page()
    at.text_input(key="inc_ref").input("C-2026-0042")
    at.selectbox(key="inc_type").set_value("burn")
    at.text_area(key="inc_description").input("Whitening at the test spot")
    at.button(key="inc_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    version = current_protocols().version_of("laser_burn")
    assert f"Protocol followed: {BURN} (version {version})." in at.success[0].value
    incident = _stored(world, "C-2026-0042")
    assert incident is not None
    assert (incident.protocol, incident.protocol_version) == ("laser_burn", version)
    (log,) = [f.value for f in at.dataframe if "Case reference" in f.value.columns]
    row = log[log["Case reference"] == "C-2026-0042"].iloc[0]
    assert row["Protocol"] == f"{BURN} · version {version}"


def test_none_followed_needs_a_reason(world: Database) -> None:
    at = _incidents_page()
    at.text_input(key="inc_ref").input("C-2026-0043")
    at.selectbox(key="inc_type").set_value("anaphylaxis")
    at.selectbox(key="inc_protocol").set_value(NO_PROTOCOL)
    at.button(key="inc_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "say why the Anaphylaxis (severe allergic reaction) protocol was not followed"
        " (the reason is kept with the incident)"
    ]
    assert _stored(world, "C-2026-0043") is None

    at.text_input(key="inc_protocol_reason").input("hives only, settled with observation")
    at.button(key="inc_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Protocol followed: none followed: hives only, settled" in at.success[0].value
    incident = _stored(world, "C-2026-0043")
    assert incident is not None
    assert (incident.protocol, incident.protocol_version) == (NO_PROTOCOL, None)
    assert incident.protocol_reason == "hives only, settled with observation"
