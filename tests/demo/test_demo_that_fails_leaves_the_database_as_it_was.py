"""A demo build that fails halfway leaves the database as it was: no practice, no audit
events, and on SQLite the connection settings of every pooled connection back to the
usual ones (the build writes without fsync); the same database then builds in full."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.demo import build_demo, run_demo
from readiness.models import ChecklistRun, Site

AS_OF = date(2026, 3, 9)


class Interrupted(Exception):
    """Raised by the progress callback to stop the build halfway."""


def _stop_after_first_month(line: str) -> None:
    if line.startswith("checklist history written to") and " 1 of " in line:
        raise Interrupted(line)


def _pooled_settings(db: Database) -> set[tuple[str, int, int]]:
    """(journal mode, synchronous, cache size) of every connection the pool holds, and one more."""
    connections = [db.engine.connect() for _ in range(db.engine.pool.checkedin() + 1)]  # type: ignore[attr-defined]
    try:
        return {
            (
                str(c.execute(text("PRAGMA journal_mode")).scalar_one()),
                int(c.execute(text("PRAGMA synchronous")).scalar_one()),
                int(c.execute(text("PRAGMA cache_size")).scalar_one()),
            )
            for c in connections
        }
    finally:
        for connection in connections:
            connection.close()


def test_a_failed_build_is_rolled_back_and_the_database_builds_again(db: Database) -> None:
    with pytest.raises(Interrupted):
        run_demo(
            db,
            sites=2,
            days=70,
            seed=5,
            if_empty=False,
            as_of=AS_OF,
            progress=_stop_after_first_month,
        )
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Site)) == 0
        assert session.scalar(select(func.count()).select_from(ChecklistRun)) == 0
        assert audit.head(session) == (0, audit.GENESIS)
    if db.dialect == "sqlite":
        # WAL, synchronous NORMAL (1) and the usual 64 MB cache, as every connection opens.
        assert _pooled_settings(db) == {("wal", 1, -65536)}

    summary = build_demo(db, sites=2, days=70, seed=5, if_empty=False, as_of=AS_OF)
    assert summary.startswith("demo practice: 2 sites, 70 days")
    with db.read() as session:
        result = audit.verify(session)
    assert result.ok, result.problems
    assert result.events > 0
    if db.dialect == "sqlite":
        assert _pooled_settings(db) == {("wal", 1, -65536)}
