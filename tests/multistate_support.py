"""The multi-state practice of tests/data/multistate_practice (this module holds no tests)."""

from __future__ import annotations

from pathlib import Path

from readiness.db import Database
from readiness.importing.run import import_dir

PRACTICE = Path(__file__).resolve().parent / "data" / "multistate_practice"


def imported(db: Database) -> Database:
    """The database with the multi-state practice imported from its files."""
    report = import_dir(db, PRACTICE, dry_run=False, actor="test")
    assert not report.errors, report.errors
    return db
