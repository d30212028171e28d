"""Each click asks the database about the sign-in once: the frame checks it, and the page's
own access check reuses that answer instead of asking again (a sign-out elsewhere still
counts at the next click)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import SignInSession

TABLE = SignInSession.__tablename__


@pytest.fixture
def world(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    yield sqlite_db


@pytest.fixture
def session_reads() -> Iterator[list[str]]:
    """The SELECTs of sign-in sessions every engine in this process runs from now on."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {TABLE}" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    yield seen
    event.remove(Engine, "before_cursor_execute", note)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/equipment.py"])
def test_a_click_reads_the_sign_in_once(
    world: Database, session_reads: list[str], page: str
) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    session_reads.clear()

    at.run()

    assert not at.exception, at.exception
    assert at.title, "the page drew"
    assert len(session_reads) == 1, session_reads
