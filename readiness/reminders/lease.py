"""Only one scheduler sends at a time: a PostgreSQL advisory lock, or a lease row on SQLite.

Any number of schedulers may plan and queue (the outbox keys make that idempotent);
the lock decides which one delivers. The claim in the outbox would keep two senders
from sending a row twice even without it; the lock keeps them from racing at all.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, or_, text, update
from sqlalchemy.exc import DBAPIError

from readiness.db import Database
from readiness.models import SchedulerLease
from readiness.reminders.upsert import insert_for

logger = logging.getLogger(__name__)

# Distinct from the audit chain's key (readiness.audit.chain.AUDIT_LOCK_KEY).
ADVISORY_KEY = 7_311_020_007
LEASE_NAME = "sender"
# Renewed on every pass (every few minutes); a holder that stops renewing loses it.
LEASE_FOR = timedelta(minutes=10)
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class SenderLock(Protocol):
    """Held by at most one scheduler of a database."""

    holder: str

    def acquire(self, now: datetime) -> bool:
        """Take or keep the lock; True while this scheduler holds it."""

    def release(self) -> None:
        """Give the lock up."""


def new_holder() -> str:
    """A name unique to this scheduler: host, process and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def sender_lock(db: Database, holder: str | None = None) -> SenderLock:
    """The lock that suits the database: advisory on PostgreSQL, a lease row elsewhere."""
    name = holder or new_holder()
    if db.dialect == "postgresql":
        return AdvisoryLock(db, name)
    return LeaseLock(db, name)


class AdvisoryLock:
    """A session-level pg_try_advisory_lock held on a dedicated connection."""

    def __init__(self, db: Database, holder: str) -> None:
        self.db = db
        self.holder = holder
        self._conn: Connection | None = None

    def acquire(self, now: datetime) -> bool:
        """Keep the lock while its connection lives; else try to take it."""
        if self._conn is not None and self._alive(self._conn):
            return True
        conn = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        taken = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}))
        if taken:
            self._conn = conn
        else:
            conn.close()
        return taken

    def _alive(self, conn: Connection) -> bool:
        """False when the connection (and with it the lock) was lost."""
        try:
            conn.scalar(text("SELECT 1"))
        except DBAPIError as error:
            logger.warning("sender lock connection lost (%s); trying to take the lock again", error)
            conn.invalidate()
            self._conn = None
            return False
        return True

    def release(self) -> None:
        """Unlock and close; a pooled connection must not go back still holding the lock."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
        except DBAPIError as error:
            logger.warning("sender lock: unlock failed (%s); dropping the connection", error)
            conn.invalidate()
        conn.close()


class LeaseLock:
    """A row in scheduler_leases, taken with a conditional UPDATE and renewed on each pass."""

    def __init__(self, db: Database, holder: str, lease_for: timedelta = LEASE_FOR) -> None:
        self.db = db
        self.holder = holder
        self.lease_for = lease_for
        self._held = False

    def acquire(self, now: datetime) -> bool:
        """Take the lease when it ran out or renew our own."""
        with self.db.write() as session:
            session.execute(
                insert_for(session, SchedulerLease)
                .values(name=LEASE_NAME, holder="", expires_at=NEVER)
                .on_conflict_do_nothing(index_elements=["name"])
            )
            result = session.execute(
                update(SchedulerLease)
                .where(
                    SchedulerLease.name == LEASE_NAME,
                    or_(SchedulerLease.expires_at < now, SchedulerLease.holder == self.holder),
                )
                .values(holder=self.holder, expires_at=now + self.lease_for)
                .execution_options(synchronize_session=False)
            )
            self._held = int(result.rowcount) == 1  # type: ignore[attr-defined]
        return self._held

    def release(self) -> None:
        """Let the lease run out now, if it is ours."""
        if not self._held:
            return
        self._held = False
        with self.db.write() as session:
            session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder)
                .values(expires_at=NEVER)
                .execution_options(synchronize_session=False)
            )
