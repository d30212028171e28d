"""Driving the Today page with Streamlit's AppTest: open it, fill a checklist, sign."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from checklist_world import BEFORE_TEN, OPENING_OK
from signin_helpers import PASSWORD, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from readiness import clock
from readiness.db import Database
from readiness.models import User
from readiness.services.users import create_user

APP = str(Path(__file__).resolve().parent.parent / "dashboards" / "app.py")
OPENING_SLOT = "opening-daily|AUS1|-|2026-03-09"
NUMBERS = {"o2_psi", "storage_temp_c", "epi_adult_count"}


def open_today(
    db: Database, monkeypatch: pytest.MonkeyPatch, staff_id: str | None = "S-1"
) -> AppTest:
    """The Today page at 08:12 on Monday 2026-03-09 in Chicago, signed in as AUS1's staff
    (the account of staff member `staff_id`; None: an account linked to nobody)."""
    monkeypatch.setattr(clock, "utc_now", lambda: BEFORE_TEN)
    monkeypatch.setenv("READINESS_DB_URL", db.url)
    username = staff_user(db, staff_id)
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, username)
    at.switch_page("pages/today.py").run()
    assert not at.exception, at.exception
    return at


def staff_user(db: Database, staff_id: str | None) -> str:
    """A staff user of AUS1, linked to the staff member when given, made once."""
    username = f"staff-{(staff_id or 'nobody').lower()}"
    with db.write() as session:
        if session.scalar(select(User).where(User.username == username)) is None:
            create_user(
                session,
                username=username,
                role="staff",
                password=PASSWORD,
                site_code="AUS1",
                staff_id=staff_id,
                actor="test",
            )
    return username


def fill_opening(at: AppTest, answers: dict[str, Any] | None = None) -> AppTest:
    """Choose AUS1 and the opening check, and answer every item."""
    at.selectbox(key="today_site").set_value("AUS1").run()
    at.selectbox(key="today_slot").set_value(OPENING_SLOT).run()
    for item, value in (OPENING_OK | (answers or {})).items():
        key = f"item_{item}"
        if isinstance(value, bool):
            at.radio(key=key).set_value("Pass" if value else "Fail")
        elif item in NUMBERS:
            at.number_input(key=key).set_value(value)
        elif item == "epi_adult_expiry":
            at.date_input(key=key).set_value(date.fromisoformat(value))
        else:
            at.text_input(key=key).input(value)
    return at


def sign(at: AppTest, staff_id: str | None = "S-1", pin: str | None = None) -> AppTest:
    """Pick the signer (None: leave it as it is), enter the PIN, press Sign and submit."""
    if staff_id is not None:
        at.selectbox(key="today_staff").set_value(staff_id)
    if pin is not None:
        at.text_input(key="today_pin").input(pin)
    return at.button(key="today_submit").click().run()
