"""The equipment page's "Add equipment" form: the officer adds a loan AED in service the
same day and the register lists it at once; a duplicate id is explained, not written;
an inspector sees no form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import Asset, AuditEvent


@pytest.fixture
def world(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    yield sqlite_db


def _as(role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, role)
    return at.switch_page("pages/equipment.py").run()


def _fill(at: AppTest, asset_id: str) -> None:
    at.selectbox(key="add_site").set_value("AUS1")
    at.selectbox(key="add_kind").set_value("aed")
    at.text_input(key="add_id").input(asset_id)
    at.text_input(key="add_name").input("Loan AED")
    at.text_input(key="add_serial").input("LOAN-77")
    at.date_input(key="add_pads").set_value(date(2027, 5, 31))
    at.date_input(key="add_battery").set_value(date(2029, 1, 31))
    at.text_input(key="add_reason").input("Loan unit while AED-1 is repaired")


def test_a_loan_aed_is_added_and_listed(world: Database) -> None:
    at = _as("officer")
    _fill(at, "AED-LOAN")
    at.button(key="add_submit").click().run()
    assert not at.exception
    assert at.success[0].value == "Added AED-LOAN (Loan AED) in service at Clinic AUS1."
    register = at.dataframe[0].value
    assert "AED-LOAN" in list(register["Asset"])
    assert at.text_input(key="add_id").value == ""  # the form starts afresh
    with world.read() as session:
        aed = session.scalar(select(Asset).where(Asset.asset_id == "AED-LOAN"))
        assert aed is not None
        assert (aed.status, aed.pads_expire_on, aed.battery_expires_on) == (
            "in_service",
            date(2027, 5, 31),
            date(2029, 1, 31),
        )
        actor = session.scalars(
            select(AuditEvent.actor)
            .where(AuditEvent.entity == "assets")
            .order_by(AuditEvent.seq.desc())
        ).first()
    assert actor == "user:officer"


def test_a_duplicate_id_is_explained_and_nothing_is_written(world: Database) -> None:
    at = _as("officer")
    with world.read() as session:
        before = len(session.scalars(select(Asset)).all())
    _fill(at, "AED-1")
    at.button(key="add_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "asset id 'AED-1' is already used (aed AED-1); choose another"
    ]
    with world.read() as session:
        assert len(session.scalars(select(Asset)).all()) == before


def test_an_inspector_sees_no_form(world: Database) -> None:
    at = _as("inspector")
    assert not at.exception
    assert not [b for b in at.button if b.key == "add_submit"]
