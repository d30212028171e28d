"""The Emergency plan page: an officer sees what the wall plan is missing, changes the
contacts and roles from a date with a reason, once (a double submit adds nothing), and
sees the versions; an inspector reads it without the form; staff do not see it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import AuditEvent, EmergencyRole, SiteContacts


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(db)
    pin_the_clock(monkeypatch, db)
    yield db


def page(role: str = "officer") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, role)
    return at.switch_page("pages/emergency_plan.py").run()


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def keyed(at: AppTest, suffix: str) -> str:
    """The key of the change form's widget ending in `suffix` (keys name the version drawn)."""
    found = [w.key for w in at.text_input if w.key and w.key.endswith(suffix)]
    found += [w.key for w in at.selectbox if w.key and w.key.endswith(suffix)]
    found += [w.key for w in at.button if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, (suffix, found)
    return str(found[0])


def fill(at: AppTest) -> None:
    at.text_input(key=keyed(at, "_reason")).set_value("New ED phone line")
    at.text_input(key=keyed(at, "_ed_phone")).set_value("512-555-0100")
    at.selectbox(key=keyed(at, "_every_lead")).set_value("rn")


def test_officer_records_a_version_once_and_sees_it(world: Database) -> None:
    at = page()
    assert not at.exception, at.exception
    assert not at.error
    gaps = " ".join(w.value for w in at.warning)
    assert "No emergency department phone on file" in gaps
    assert "No one named who leads (every scenario)" in gaps

    submit = keyed(at, "_submit")
    at.session_state["planedit_form_key"] = "planedit:double"
    fill(at)
    at.button(key=submit).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("Recorded a new version of the emergency plan of AUS1")
    assert (count(world, SiteContacts), count(world, EmergencyRole)) == (1, 1)

    # The same values again (the form now drawn from the new version) add nothing.
    at.session_state["planedit_form_key"] = "planedit:double"
    fill(at)
    at.button(key=keyed(at, "_submit")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith(("Already recorded", "Nothing changed"))
    assert (count(world, SiteContacts), count(world, EmergencyRole)) == (1, 1)

    at = page()
    gaps = " ".join(w.value for w in at.warning)
    assert "No emergency department phone on file" not in gaps
    assert "No one named who leads" not in gaps
    assert "512-555-0100" in " ".join(m.value for m in at.markdown)
    history = at.dataframe[-1].value
    assert "New ED phone line" in set(history["Reason"])
    assert (history["Recorded by"] == "officer").all()
    with world.read() as session:
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "site_contacts", AuditEvent.actor == "user:officer")
        )
    assert events == 1


def test_a_change_without_a_reason_is_refused_in_words(world: Database) -> None:
    at = page()
    at.text_input(key=keyed(at, "_ed_phone")).set_value("512-555-0100")
    at.button(key=keyed(at, "_submit")).click().run()
    assert not at.exception
    assert any("say why the emergency plan changes" in e.value for e in at.error)
    assert count(world, SiteContacts) == 0


def test_inspector_reads_without_the_form_and_staff_are_refused(world: Database) -> None:
    at = page("inspector")
    assert not at.exception
    assert [t.value for t in at.title] == ["Emergency plan"]
    assert not [b for b in at.button if b.key and b.key.endswith("_submit")]
    at = page("staff")
    assert not at.exception
    assert any("do not have access" in e.value for e in at.error)
