"""Only one scheduler sends: an advisory lock on PostgreSQL, a lease row on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from readiness.db import Database
from readiness.reminders.lease import LEASE_FOR, AdvisoryLock, LeaseLock, sender_lock

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)


def test_a_second_scheduler_cannot_take_the_lock_until_the_first_lets_go(db: Database) -> None:
    other_db = Database(db.url)
    first, second = sender_lock(db, "first"), sender_lock(other_db, "second")
    try:
        expected = AdvisoryLock if db.dialect == "postgresql" else LeaseLock
        assert isinstance(first, expected)
        assert first.acquire(NOW)
        assert not second.acquire(NOW)
        assert first.acquire(NOW + timedelta(minutes=5))  # kept (renewed) by its holder
        first.release()
        assert second.acquire(NOW + timedelta(minutes=6))
        assert not first.acquire(NOW + timedelta(minutes=6))
    finally:
        first.release()
        second.release()
        other_db.dispose()


def test_a_lease_whose_holder_died_runs_out(sqlite_db: Database) -> None:
    dead, alive = LeaseLock(sqlite_db, "dead"), LeaseLock(sqlite_db, "alive")
    assert dead.acquire(NOW)
    assert not alive.acquire(NOW + LEASE_FOR - timedelta(seconds=1))
    assert alive.acquire(NOW + LEASE_FOR + timedelta(seconds=1))


def test_an_advisory_lock_dies_with_its_connection(pg_db: Database) -> None:
    other_db = Database(pg_db.url)
    first, second = AdvisoryLock(pg_db, "first"), AdvisoryLock(other_db, "second")
    try:
        assert first.acquire(NOW)
        pg_db.dispose()  # the process holding it is gone: its connection closes
        assert first._conn is not None
        first._conn.invalidate()
        assert second.acquire(NOW)
    finally:
        second.release()
        other_db.dispose()
