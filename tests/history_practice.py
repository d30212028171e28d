"""The practice of tests/data/history_practice imported through `readiness import`, and
its items as `readiness status --as-of` reports them (a helper of the history tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checklist_world import readiness

from readiness.cli import main
from readiness.db import Database

PRACTICE = Path(__file__).resolve().parent / "data" / "history_practice"

Items = dict[tuple[str, str], dict[str, str]]


def import_practice(db: Database) -> Database:
    """The practice imported from its files, as a clinic does it."""
    proc = readiness("--db", db.url, "import", "--dir", str(PRACTICE))
    assert proc.returncode == 0, proc.stderr
    return db


def status(db: Database, as_of: str, capsys: pytest.CaptureFixture[str]) -> Items:
    """(requirement, subject) -> item of `readiness status --as-of` at HIS1."""
    capsys.readouterr()
    code = main(["--db", db.url, "status", "--format", "json", "--as-of", as_of])
    assert code in (0, 1)  # 1: something is not ok
    items = json.loads(capsys.readouterr().out)
    return {(i["requirement"], i["subject"]): i for i in items if i["site"] == "HIS1"}
