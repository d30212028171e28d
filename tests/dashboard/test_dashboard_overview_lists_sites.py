"""The overview lists every site in its matrix; an empty or unreadable database is explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import small_practice
from signin_helpers import APP, make_user, sign_in, signed_in_app
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.policy.current import current_policy


def test_it_shows_each_site_and_its_headline_figures(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        small_practice(session)
    at = signed_in_app(sqlite_db, monkeypatch, "officer")
    assert not at.exception
    assert [t.value for t in at.title] == ["Readiness overview"]
    at.session_state["overview_show_sites"] = True  # the matrix draws when its section opens
    matrix = at.run().dataframe[0].value
    assert list(matrix["Site"]) == ["AUS1", "PHX1"]
    policy = current_policy()
    assert list(matrix.columns) == ["Site", *(s.title for s in policy.scenarios.values())]
    labels = [m.label for m in at.metric]
    assert labels == [
        "Sites ready",
        "Overdue",
        "Expired",
        "Missing",
        "Failed",
        "Due today",
        "Due in 30 days",
        "Open actions",
    ]
    assert not any("data version" in c.value for c in at.caption)  # no debug footer


def test_it_explains_an_empty_database(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in_app(sqlite_db, monkeypatch, "officer")
    assert not at.exception
    assert "No sites yet" in at.info[0].value


def test_it_explains_a_database_without_users(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_DB_URL", sqlite_db.url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "readiness user add NAME --role admin" in at.info[0].value
    make_user(sqlite_db, "admin")
    sign_in(at, "admin", "wrong password!")
    assert "Wrong user name or password." in [e.value for e in at.error]


def test_it_shows_a_sentence_when_the_database_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_DB_URL", f"sqlite:///{tmp_path}/never-initialised.db")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "could not be read" in at.error[0].value
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert "could not be read" in at.error[0].value
