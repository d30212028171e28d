"""A nurse corrects her own run from the Today page: the recorded answers are there to
change, a reason is required, the old run is superseded and a new failure opens its
corrective action; a colleague's account cannot correct it."""

from __future__ import annotations

import pytest
from checklist_world import build_site, submit
from sqlalchemy import select
from today_page import OPENING_SLOT, open_today

from readiness.db import Database
from readiness.models import ChecklistRun, CorrectiveAction


@pytest.fixture
def done_db(sqlite_db: Database) -> Database:
    with sqlite_db.write() as session:
        build_site(session)
    submit(sqlite_db)  # Ana Lopez (S-1) recorded the opening check, all passed
    return sqlite_db


def test_own_run_is_corrected_with_a_reason(
    done_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_today(done_db, monkeypatch)
    at.selectbox(key="today_slot").set_value(OPENING_SLOT).run()
    assert at.number_input(key="amend_item_o2_psi").value == 1800  # as recorded
    assert at.text_input(key="amend_item_kit_seal").value == "A-1001"

    at.number_input(key="amend_item_o2_psi").set_value(800)
    at.button(key="amend_submit").click().run()
    assert "Say why the checklist is corrected." in [e.value for e in at.error]

    at.text_area(key="amend_reason").input("Read the wrong gauge; it shows 800 psi")
    at.button(key="amend_submit").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Corrected. FAILED: Daily opening readiness check")
    with done_db.read() as session:
        runs = session.scalars(select(ChecklistRun).order_by(ChecklistRun.id)).all()
        action = session.scalars(select(CorrectiveAction)).one()
    assert [r.record_state for r in runs] == ["superseded", "current"]
    assert (runs[1].signature_name, runs[1].recorded_by) == ("Ana Lopez", "user:staff-s-1")
    assert action.requirement == "oxygen.daily_pressure"


def test_a_colleague_cannot_correct_it(done_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_today(done_db, monkeypatch, staff_id="S-2")
    at.selectbox(key="today_slot").set_value(OPENING_SLOT).run()
    assert not at.exception
    assert "amend_submit" not in [b.key for b in at.button]
    assert any("Only Ana Lopez or the compliance officer" in c.value for c in at.caption)
