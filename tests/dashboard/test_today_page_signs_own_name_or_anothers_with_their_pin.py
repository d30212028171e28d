"""On the Today page "Signed by" is the signed-in person; signing for a colleague takes the
colleague's PIN, and a colleague without a PIN cannot be signed for at all."""

from __future__ import annotations

import pytest
from checklist_world import ACTOR, build_site
from sqlalchemy import select
from today_page import fill_opening, open_today, sign

from readiness.db import Database
from readiness.models import ChecklistRun, Staff
from readiness.services.signatures import set_pin


def test_signing_for_a_colleague_takes_their_pin(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    at = fill_opening(open_today(sqlite_db, monkeypatch))
    assert at.selectbox(key="today_staff").value == "S-1"  # the signed-in nurse

    sign(at, "S-2")
    assert at.error[0].value.startswith("Lee Park has no sign-off PIN")
    with sqlite_db.write() as session:
        lee = session.scalars(select(Staff).where(Staff.staff_id == "S-2")).one()
        set_pin(session, lee, "1357", ACTOR)
    sign(at, "S-2")
    assert "Signing in Lee Park's name takes Lee Park's PIN: enter it." in [
        e.value for e in at.error
    ]
    with sqlite_db.read() as session:
        assert session.scalars(select(ChecklistRun)).all() == []

    sign(at, "S-2", pin="1357")
    assert not at.exception and at.success.len == 1
    assert "signed by Lee Park" in at.success[0].value
    assert "today_pin" not in at.session_state or not at.session_state["today_pin"]
    with sqlite_db.read() as session:
        run = session.scalars(select(ChecklistRun)).one()
    assert run.signature_name == "Lee Park"
