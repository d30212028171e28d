"""After a dashboard process's first run, what it imported (Streamlit, SQLAlchemy, pandas, the
models, the read models) is frozen out of the garbage collector, so the full collection
Streamlit makes after every run walks only what a click made; later runs freeze nothing more."""

from __future__ import annotations

import gc

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import Site
from readiness.views.overview import OverviewModel


def tracked(thing: object) -> bool:
    """Whether the collector would walk `thing` (frozen objects are not listed)."""
    return any(found is thing for found in gc.get_objects())


def test_the_first_run_freezes_the_imports_and_later_runs_leave_the_rest_to_the_collector(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    frozen = gc.get_freeze_count()
    assert frozen > 100_000
    assert not tracked(Site) and not tracked(OverviewModel)

    # Signing in and drawing the overview freezes nothing more (frozen objects that are
    # dropped are still freed, so the count may only fall).
    sign_in(at, "officer")
    assert not at.exception, at.exception
    assert at.title[0].value == "Readiness overview"
    assert gc.get_freeze_count() <= frozen
    made_now = type("MadeAfterStartUp", (), {})
    assert tracked(made_now)
