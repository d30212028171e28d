"""On the Today page a nurse picks the site and the opening check, ticks it, signs and submits."""

from __future__ import annotations

import pytest
from checklist_world import BEFORE_TEN, OPENING_OK, build_site
from sqlalchemy import select
from today_page import OPENING_SLOT, fill_opening, open_today, sign

from readiness.db import Database
from readiness.models import ChecklistRun
from readiness.services.checklist_runs import submit_checklist


def test_it_records_the_run_and_confirms(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session, lasers=2)
    at = open_today(sqlite_db, monkeypatch)
    assert any("pending" in m.value and "Daily opening" in m.value for m in at.markdown)

    sign(fill_opening(at))

    assert not at.exception
    assert at.error.len == 0
    (confirmation,) = at.success
    assert confirmation.value == (
        "Recorded: Daily opening readiness check passed, signed by Ana Lopez at 08:12 CDT."
    )
    assert any("done" in m.value and "Daily opening" in m.value for m in at.markdown)
    with sqlite_db.read() as session:
        (run,) = session.scalars(select(ChecklistRun)).all()
    assert (run.slot_key, run.signature_name, run.passed) == (OPENING_SLOT, "Ana Lopez", True)


def test_the_form_keeps_one_key_so_a_second_tap_records_nothing_new(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    at = fill_opening(open_today(sqlite_db, monkeypatch))
    key = at.session_state["today_form_key"]
    at.number_input(key="item_o2_psi").set_value(None)
    sign(at)  # forgot the oxygen reading: refused, same form, same key
    assert at.session_state["today_form_key"] == key
    at.number_input(key="item_o2_psi").set_value(1800)
    sign(at)
    assert at.success.len == 1
    assert "today_form_key" not in at.session_state  # cleared: the next form has a new key
    # A second tap sent before the page redrew reaches the service with the form's key.
    with sqlite_db.write() as session:
        again = submit_checklist(
            session, site_code="AUS1", template_id="opening-daily", staff_id="S-1",
            answers=OPENING_OK, key=key, actor="staff:S-1", now_utc=BEFORE_TEN,
        )  # fmt: skip
    assert not again.created
    with sqlite_db.read() as session:
        (run,) = session.scalars(select(ChecklistRun)).all()
    assert run.idempotency_key == key
