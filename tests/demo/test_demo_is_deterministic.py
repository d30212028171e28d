"""The same arguments build the same practice: same rows, same audit chain head, on any engine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.demo import build_demo
from readiness.migrate import upgrade
from readiness.models import Base

AS_OF = date(2026, 3, 9)


def _build(db: Database, seed: int = 11) -> None:
    build_demo(db, sites=3, days=60, seed=seed, if_empty=False, as_of=AS_OF)


def _fingerprint(db: Database) -> tuple[tuple[int, str], dict[str, int]]:
    """The chain head and the row count of every table."""
    with db.read() as session:
        counts = {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }
        return audit.head(session), counts


@pytest.fixture
def other_db(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A second fresh, migrated database on the same engine as `db`."""
    cluster, name = None, None
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/other.db"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = cluster.create_database("demo_other")
        url = cluster.url(name)
    database = Database(url)
    upgrade(database.engine)
    try:
        yield database
    finally:
        database.dispose()
        if cluster is not None and name is not None:
            cluster.drop_database(name)


def test_it_builds_the_same_practice_twice(db: Database, other_db: Database) -> None:
    _build(db)
    _build(other_db)
    (seq, head), counts = _fingerprint(db)
    assert seq > 0 and counts["checklist_runs"] > 0
    assert _fingerprint(other_db) == ((seq, head), counts)


def test_another_seed_builds_another_practice(db: Database, other_db: Database) -> None:
    _build(db, seed=11)
    _build(other_db, seed=12)
    assert _fingerprint(db)[0] != _fingerprint(other_db)[0]


def test_it_builds_the_same_chain_on_sqlite_and_postgresql(
    sqlite_db: Database, pg_db: Database
) -> None:
    _build(sqlite_db)
    _build(pg_db)
    assert _fingerprint(sqlite_db) == _fingerprint(pg_db)
