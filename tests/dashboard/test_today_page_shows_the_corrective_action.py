"""A failed check on the Today page is shown as failed: red, never a green success box, with
the corrective action to take; an AED that failed is reported out of service."""

from __future__ import annotations

import pytest
from checklist_world import build_site
from sqlalchemy import select
from today_page import fill_opening, open_today, sign

from readiness.db import Database
from readiness.models import Asset, CorrectiveAction


def test_a_low_oxygen_reading_is_red_with_its_corrective_action(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    at = sign(fill_opening(open_today(sqlite_db, monkeypatch), {"o2_psi": 800}))

    assert not at.exception
    assert at.success.len == 0
    headline, action = (e.value for e in at.error)
    assert headline.startswith("FAILED: Daily opening readiness check, signed by Ana Lopez")
    assert action.startswith("Corrective action #1 (critical, due 09 Mar): Replace the cylinder")
    assert "800 psi is below the minimum of 1000 psi" in action
    assert "oxygen.daily_pressure" not in headline + action  # no requirement ids on screen
    with sqlite_db.read() as session:
        found = session.scalars(select(CorrectiveAction)).one()
    assert (found.requirement, found.status) == ("oxygen.daily_pressure", "open")


def test_a_failed_aed_says_it_is_out_of_service(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    at = sign(fill_opening(open_today(sqlite_db, monkeypatch), {"aed_ready": False}))

    assert not at.exception and at.success.len == 0
    texts = [e.value for e in at.error]
    assert texts[0].startswith("FAILED: ")
    assert "AED-1 is now out of service: do not use it until it is repaired." in texts
    assert any("Take the AED out of service" in t for t in texts)
    with sqlite_db.read() as session:
        aed = session.scalars(select(Asset).where(Asset.asset_id == "AED-1")).one()
    assert aed.status == "out_of_service"
