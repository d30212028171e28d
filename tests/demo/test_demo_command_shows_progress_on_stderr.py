"""`readiness demo` tells its progress on stderr, one line per step and per month of
checklist history written, so a long build shows it is moving; stdout keeps the summary."""

from __future__ import annotations

import pytest

from readiness.cli import main
from readiness.db import Database


def test_progress_lines_go_to_stderr(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", db.url, "demo", "--sites", "1", "--days", "40", "--seed", "3"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0] == "demo: planned 1 clinic, their staff, equipment and evidence"
    months = [line for line in lines if line.startswith("demo: checklist history written to")]
    assert len(months) >= 2 and months[-1].endswith(f"{len(months)} of {len(months)} months")
    assert "demo: gathering the planner's statistics" in lines
    assert "demo:" not in out and out.startswith("demo practice: 1 sites, 40 days")
