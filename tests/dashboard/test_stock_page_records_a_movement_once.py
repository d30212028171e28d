"""The Stock page's form records units used as a dated movement, as the signed-in user; the
form clears after a success, the lot's units on hand drop at once, and a double submit with
the form's idempotency key records one movement."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import StockMovement


@pytest.fixture
def world(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    yield sqlite_db


def stock_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    return at.switch_page("pages/stock.py").run()


def use_one(at: AppTest) -> AppTest:
    at.radio(key="stock_kind").set_value("used").run()
    at.selectbox(key="stock_lot").set_value("E-1|epinephrine_adult")
    at.number_input(key="stock_quantity").set_value(1)
    at.text_input(key="stock_reason").input("Given in an anaphylaxis emergency")
    return at.button(key="stock_submit").click().run()


def movements(db: Database) -> list[tuple[str, int, str]]:
    with db.read() as session:
        rows = session.execute(
            select(StockMovement.kind, StockMovement.quantity, StockMovement.recorded_by)
        ).all()
    return [tuple(row) for row in rows]


def test_units_used_are_recorded_once_and_the_form_clears(world: Database) -> None:
    at = stock_page()
    assert at.subheader[-1].value == "Record stock received / used / disposed"
    lots = at.dataframe[2].value
    assert list(lots.loc[lots["Lot number"] == "E-1", "Quantity"]) == [1]
    at.session_state["stock_form_key"] = "stock:double"
    use_one(at)
    assert not at.exception and not at.error
    assert at.success[0].value == (
        "AUS1: 1 unit of epinephrine_adult lot E-1 used on 2026-03-09 (recorded);"
        " 0 on hand that day"
    )
    assert at.text_input(key="stock_reason").value == ""
    assert at.session_state["stock_form_key"] != "stock:double"  # a new form, a new key
    # None left on hand: the lot leaves the lots table; the movement is listed.
    tables = [frame.value for frame in at.dataframe]
    assert not any("E-1" in set(t.get("Lot number", [])) for t in tables if "Days left" in t)
    moves = next(t for t in tables if "By" in t and "Kind" in t)
    assert list(moves["Kind"]) == ["used"] and list(moves["By"]) == ["user:officer"]
    # Two more units of the lot arrive; the form reaches the server twice with one key.
    for _ in range(2):
        at.session_state["stock_form_key"] = "stock:twice"
        at.radio(key="stock_kind").set_value("received").run()
        at.text_input(key="stock_new_lot").input("E-1")
        at.selectbox(key="stock_item").set_value("epinephrine_adult")
        at.number_input(key="stock_quantity").set_value(2)
        at.button(key="stock_submit").click().run()
        assert not at.exception and not at.error
    assert at.success[0].value.startswith("Already recorded, nothing added: AUS1: 2 units")
    assert at.success[0].value.endswith("received on 2026-03-09 (recorded); 2 on hand that day")
    assert movements(world) == [("used", 1, "user:officer"), ("received", 2, "user:officer")]


def test_using_more_than_on_hand_is_explained(world: Database) -> None:
    at = stock_page()
    at.radio(key="stock_kind").set_value("used").run()
    at.selectbox(key="stock_lot").set_value("E-1|epinephrine_adult")
    at.number_input(key="stock_quantity").set_value(3)
    at.button(key="stock_submit").click().run()
    assert not at.exception
    assert at.error[0].value == (
        "cannot record 3 used: lot E-1 of epinephrine_adult has 1 unit on hand on 2026-03-09"
    )
    assert movements(world) == []
