"""The Audit page filters the trail, verifies the chain on request and prepares the workbook."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import openpyxl
import pytest
from dashboard_world import BEFORE_TEN, TODAY, build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from readiness.access import Principal
from readiness.db import Database
from readiness.export.download import export_bytes


@pytest.fixture
def world(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    yield sqlite_db


def _audit(role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    sign_in(at, role)
    return at.switch_page("pages/audit.py").run()


def test_the_inspector_filters_verifies_and_prepares_the_workbook(world: Database) -> None:
    at = _audit("inspector")
    # The world was written at the real time; the page's clock is pinned to 2026-03-09.
    at.date_input(key="audit_to").set_value(date(2030, 1, 1))
    at.selectbox(key="audit_entity").set_value("incidents").run()
    events = at.dataframe[0].value
    assert list(events["Entity"]) == ["incidents"] and list(events["Actor"]) == ["user:builder"]
    at.text_input(key="audit_actor").input("nobody").run()
    assert "No audit events match." in [c.value for c in at.caption]
    at.button(key="audit_verify").click().run()
    assert at.success[0].value.startswith("Audit chain intact:")
    at.button(key="export_prepare").click().run()
    assert not at.exception and not at.error
    assert [b.key for b in at.get("download_button")] == ["export_download"]


def test_a_tampered_chain_is_shown_broken(world: Database) -> None:
    with world.engine.begin() as conn:
        conn.execute(text("UPDATE incidents SET case_ref = 'C-2026-9999'"))
    at = _audit("officer")
    at.button(key="audit_verify").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Audit chain broken:")


def test_the_download_is_a_workbook(world: Database) -> None:
    data = export_bytes(
        world, Principal("ines", "inspector"), ["AUS1"], date(2026, 1, 1), TODAY, BEFORE_TEN
    )
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert len(book.sheetnames) > 3
