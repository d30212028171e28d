"""Twenty threads of one process writing at once take turns: every write commits once, none
is lost or made twice, the audit chain verifies; a second write session opened in a thread
that holds one is refused at once instead of waiting for itself.

The threads queue in the process (`readiness.db.WritersQueue`) before they meet the
database's own lock, so the next writer is handed the turn when the last one commits.
Half the threads share one `Database`, as a dashboard's pages do; the others open their
own on the same URL, as its cookie routes do: they all queue together.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from factories import ACTOR
from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.db import Database
from readiness.models import Site

THREADS = 20
WRITES = 3


class Overlap:
    """The most write-session blocks of this process seen running at the same time."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._inside = 0
        self.most = 0

    def enter(self) -> None:
        with self._guard:
            self._inside += 1
            self.most = max(self.most, self._inside)

    def leave(self) -> None:
        with self._guard:
            self._inside -= 1


def _writer(db: Database, barrier: threading.Barrier, overlap: Overlap, out: list[Any]) -> None:
    """Read how many sites there are, then add the next one: a lost update shows as a
    code taken twice (refused by its unique index) or a number skipped."""
    try:
        barrier.wait()
        for _ in range(WRITES):
            with db.write() as session:
                overlap.enter()
                # Before any statement: only the process's queue keeps another block out here
                # (the database's lock is taken at the first statement).
                time.sleep(0.002)
                count = session.scalar(select(func.count()).select_from(Site)) or 0
                site = Site(code=f"W{count:03d}", name=f"Writer {count}", timezone="UTC")
                records.create(session, site, actor=ACTOR)
                overlap.leave()
        out.append(None)
    except BaseException as error:  # collected and asserted on below
        out.append(error)


def test_twenty_writers_commit_every_write_once_one_at_a_time(db: Database) -> None:
    own = [Database(db.url) for _ in range(THREADS // 2)]
    databases = [db] * (THREADS // 2) + own
    barrier = threading.Barrier(THREADS)
    overlap = Overlap()
    out: list[Any] = []
    threads = [
        threading.Thread(target=_writer, args=(database, barrier, overlap, out))
        for database in databases
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for database in own:
            database.dispose()

    assert out == [None] * THREADS
    assert overlap.most == 1
    with db.read() as session:
        codes = list(session.scalars(select(Site.code).order_by(Site.code)))
        result = audit.verify(session)
    assert codes == [f"W{n:03d}" for n in range(THREADS * WRITES)]
    assert result.ok, result.problems[:3]
    assert result.records == THREADS * WRITES


@pytest.mark.parametrize("second", ["same database", "another database on the same URL"])
def test_a_write_session_inside_another_is_refused_at_once(db: Database, second: str) -> None:
    other = db if second == "same database" else Database(db.url)
    outcome: list[BaseException | None] = []

    def nest() -> None:
        try:
            with db.write(), other.write():
                pass
            outcome.append(None)
        except BaseException as error:  # asserted on below
            outcome.append(error)

    thread = threading.Thread(target=nest, daemon=True)
    thread.start()
    thread.join(timeout=30)
    if other is not db:
        other.dispose()

    assert not thread.is_alive(), "the nested write session waited for the outer one"
    assert len(outcome) == 1 and isinstance(outcome[0], RuntimeError)
    assert "already open in this thread" in str(outcome[0])
    # The queue was left free: the next write goes through.
    with db.write() as session:
        records.create(session, Site(code="AFTER", name="After", timezone="UTC"), actor=ACTOR)
