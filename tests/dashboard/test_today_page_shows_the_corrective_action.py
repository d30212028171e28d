"""A low oxygen reading entered on the Today page is recorded and its corrective action shown."""

from __future__ import annotations

import pytest
from checklist_world import build_site
from sqlalchemy import select
from today_page import fill_opening, open_today, sign

from readiness.db import Database
from readiness.models import CorrectiveAction


def test_the_confirmation_names_the_corrective_action(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    at = sign(fill_opening(open_today(sqlite_db, monkeypatch), {"o2_psi": 800}))

    assert not at.exception
    (confirmation,) = at.success
    assert "FAILED" in confirmation.value
    assert "corrective actions opened: #1 oxygen.daily_pressure for AUS1" in confirmation.value
    (warning,) = at.warning
    assert warning.value.startswith("Corrective action #1 (critical, due 2026-03-09)")
    assert "800 psi is below the minimum of 1000 psi" in warning.value
    with sqlite_db.read() as session:
        action = session.scalars(select(CorrectiveAction)).one()
    assert (action.requirement, action.status) == ("oxygen.daily_pressure", "open")
