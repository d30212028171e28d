"""`make run` runs `readiness demo --if-empty` every time: on a demo database it shows the demo
sign-ins again (those still taking their documented password), on any other database none."""

from __future__ import annotations

import pytest
from factories import small_practice

from readiness.cli import main
from readiness.db import Database
from readiness.services.users import disable_user, set_password

DEMO = ["demo", "--sites", "1", "--days", "5", "--seed", "3", "--if-empty"]


def sign_in_line(out: str) -> str:
    (line,) = [line for line in out.splitlines() if line.startswith("demo sign-ins:")] or [""]
    return line


def test_a_demo_database_shows_its_sign_ins_on_every_run(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db.url, *DEMO]) == 0
    first = sign_in_line(capsys.readouterr().out)
    assert "officer / readiness-officer" in first
    assert main(["--db", db.url, *DEMO]) == 0
    again = capsys.readouterr().out
    assert again.startswith("demo skipped")
    assert sign_in_line(again) == first

    # A changed password, or a disabled account, is no longer shown.
    with db.write() as session:
        set_password(session, "officer", "a new secret for the officer", actor="test")
        disable_user(session, "inspector", actor="test")
    assert main(["--db", db.url, *DEMO]) == 0
    shown = sign_in_line(capsys.readouterr().out)
    assert "admin / readiness-admin" in shown
    assert "officer" not in shown and "inspector" not in shown


def test_another_database_shows_none(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.write() as session:
        small_practice(session)
    assert main(["--db", db.url, *DEMO]) == 0
    assert sign_in_line(capsys.readouterr().out) == ""
