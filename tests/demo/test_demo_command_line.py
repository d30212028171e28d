"""`readiness demo` prints what it built, refuses a filled database, and --if-empty skips."""

from __future__ import annotations

import pytest

from readiness.cli import main
from readiness.db import Database


def test_the_demo_command(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", db.url, "demo", "--sites", "2", "--days", "20", "--seed", "3"]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("demo practice: 2 sites, 20 days")
    assert main(args) == 2
    assert "already has 2 sites" in capsys.readouterr().err
    assert main([*args, "--if-empty"]) == 0
    assert capsys.readouterr().out.startswith("demo skipped: database already has 2 sites\n")
