"""The overview page lists every site with its record counts (Streamlit AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from readiness.db import Database

from factories import small_practice

APP = str(Path(__file__).resolve().parent.parent / "dashboards" / "app.py")


def test_it_shows_each_site_and_its_counts(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        small_practice(session)
    monkeypatch.setenv("READINESS_DB_URL", sqlite_db.url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["code"]) == ["AUS1", "PHX1"]
    assert list(frame["staff"]) == [3, 0]
    assert list(frame["certifications"]) == [3, 0]
    assert list(frame["assets"]) == [1, 0]


def test_it_explains_an_empty_database(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_DB_URL", sqlite_db.url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "No sites yet" in at.info[0].value


def test_it_shows_a_sentence_when_the_database_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_DB_URL", f"sqlite:///{tmp_path}/never-initialised.db")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "could not be read" in at.error[0].value
