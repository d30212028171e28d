"""The close-action form closes the action the user saw, or nothing: when that action was
closed or reworded after the list was drawn, the submit is refused and no action (least
of all another one) is closed with the text written for it. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from dashboard_world import BEFORE_TEN, build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from readiness.audit import records
from readiness.db import Database
from readiness.models import CorrectiveAction
from readiness.services.corrective_actions import (
    close_corrective_action,
    open_corrective_action,
)

RESOLUTION = "Moved the epinephrine to the treatment room"


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(db)
    with db.write() as session:  # a second open action, so a shifted list has a victim
        open_corrective_action(
            session,
            site_code="AUS1",
            description="Replace the eyewear strap",
            severity="minor",
            due_on=date(2026, 3, 30),
            actor="test",
            now_utc=BEFORE_TEN,
        )
    pin_the_clock(monkeypatch, db)
    yield db


def drawn_form() -> tuple[AppTest, int]:
    """The incidents page as an officer, the first open action chosen and a resolution typed."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    at.switch_page("pages/incidents.py").run()
    label = at.selectbox(key="close_id").options[0]
    number = int(label.split()[0].lstrip("#"))
    at.selectbox(key="close_id").set_value(label)  # a browser sends back the label it shows
    at.text_area(key="close_resolution").input(RESOLUTION)
    return at, number


def states(db: Database) -> dict[int, tuple[str, str | None]]:
    with db.read() as session:
        rows = session.execute(
            select(CorrectiveAction.id, CorrectiveAction.status, CorrectiveAction.resolution)
        ).all()
    return {number: (status, resolution) for number, status, resolution in rows}


def test_an_action_closed_meanwhile_is_refused_and_no_other_is_closed(world: Database) -> None:
    at, number = drawn_form()
    with world.write() as session:  # someone else closes it first
        close_corrective_action(
            session, number, "Done by the manager", "Manager", "test", BEFORE_TEN
        )
    before = states(world)
    at.button(key="close_submit").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "That corrective action was closed or changed since the list was drawn; nothing was"
        " recorded. Check the list below and choose again."
    ]
    assert states(world) == before
    assert [status for status, _ in before.values()].count("open") == 1


def test_an_action_reworded_meanwhile_is_refused(world: Database) -> None:
    at, number = drawn_form()
    with world.write() as session:
        action = session.get(CorrectiveAction, number)
        assert action is not None
        records.update(
            session,
            action,
            {"description": "Buy a second auto-injector"},
            actor="test",
            reason="reworded",
        )
    at.button(key="close_submit").click().run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "nothing was recorded" in at.error[0].value
    assert all(status == "open" for status, _ in states(world).values())


def test_the_action_seen_unchanged_is_closed(world: Database) -> None:
    at, number = drawn_form()
    at.button(key="close_submit").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith(f"Closed corrective action #{number} AUS1")
    assert states(world)[number] == ("closed", RESOLUTION)
    assert at.text_area(key="close_resolution").value == ""
