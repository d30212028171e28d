"""Fixtures that give each test a migrated Readiness database on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from readiness.db import Database
from readiness.migrate import upgrade


def _migrated(url: str) -> Iterator[Database]:
    database = Database(url)
    upgrade(database.engine)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh database at the latest schema, once on SQLite and once on PostgreSQL."""
    yield from _migrated(db_url)


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    """A fresh SQLite database at the latest schema."""
    yield from _migrated(sqlite_url)


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """A fresh PostgreSQL database at the latest schema."""
    yield from _migrated(pg_url)
