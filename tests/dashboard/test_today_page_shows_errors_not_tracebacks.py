"""Mistakes and failures on the Today page are sentences on screen, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from checklist_world import ACTOR, build_site
from sqlalchemy import func, select
from today_page import fill_opening, open_today, sign

from readiness.db import Database
from readiness.models import ChecklistRun, Staff
from readiness.services import checklist_runs
from readiness.services.signatures import set_pin


def _runs(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(ChecklistRun)) or 0


@pytest.fixture
def site_db(sqlite_db: Database) -> Database:
    with sqlite_db.write() as session:
        build_site(session)
    return sqlite_db


def test_missing_answers_are_shown_under_their_items(
    site_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = fill_opening(open_today(site_db, monkeypatch))
    at.number_input(key="item_o2_psi").set_value(None)
    at.text_input(key="item_kit_seal").input("")
    sign(at)
    assert not at.exception
    errors = [e.value for e in at.error]
    # Labels, not keys: the summary names the items as the form shows them.
    assert (
        "Some answers need attention (see below): Oxygen cylinder pressure (psi);"
        " Emergency kit seal number."
    ) in errors
    assert errors.count("Please answer this.") == 2
    assert not any("o2_psi" in e or "kit_seal" in e for e in errors)
    assert at.session_state["today_problems"].keys() == {"o2_psi", "kit_seal"}
    assert _runs(site_db) == 0


def test_no_signer_and_a_wrong_pin_are_explained(
    site_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with site_db.write() as session:
        person = session.scalars(select(Staff).where(Staff.staff_id == "S-1")).one()
        set_pin(session, person, "4821", ACTOR)
    # An account linked to no staff member chooses who signs; nobody is chosen for it.
    at = fill_opening(open_today(site_db, monkeypatch, staff_id=None))
    assert at.selectbox(key="today_staff").value is None
    sign(at, staff_id=None)
    assert "Choose who did this check, then sign." in [e.value for e in at.error]
    sign(at, staff_id="S-1", pin="0000")
    assert not at.exception
    assert "wrong PIN for Ana Lopez" in [e.value for e in at.error]
    assert _runs(site_db) == 0
    sign(at, staff_id="S-1", pin="4821")
    assert at.success.len == 1 and _runs(site_db) == 1


def test_an_unexpected_failure_is_a_sentence(
    site_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(checklist_runs, "record_checklist", broken)
    at = sign(fill_opening(open_today(site_db, monkeypatch)))
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("Something went wrong and nothing was recorded.")
    assert "disk on fire" not in error.value
    assert _runs(site_db) == 0


def test_an_unreadable_database_is_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest
    from today_page import APP

    monkeypatch.setenv("READINESS_DB_URL", f"sqlite:///{tmp_path}/never-initialised.db")
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/today.py").run()
    assert not at.exception
    assert "could not be read" in at.error[0].value
