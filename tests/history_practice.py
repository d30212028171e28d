"""The practice of tests/data/history_practice imported through `readiness import`, and
its items as `readiness status --as-of` reports them (a helper of the history tests)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from checklist_world import OPENING_OK, readiness, submit

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


def checked_mon_to_sat(db: Database, first_monday: date, weeks: int = 2) -> Database:
    """The practice, HIS1's opening check done at 09:00 (Chicago) Monday to Saturday."""
    import_practice(db)
    for week in range(weeks):
        for offset in range(6):
            day = first_monday + timedelta(days=7 * week + offset)
            nine = datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC)  # 09:00 CDT
            submit(
                db,
                site_code="HIS1",
                staff_id="H-2",
                answers=OPENING_OK,
                now_utc=nine,
                key=f"opening-{day}",
            )
    return db
