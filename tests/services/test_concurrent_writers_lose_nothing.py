"""Twenty writers at once lose nothing, see no "database is locked", and keep one chain."""

from __future__ import annotations

import threading

from factories import cert, site, staff
from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.models import Certification, Site

WRITERS = 20


def _writer(url: str, n: int, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    db = Database(url)
    try:
        barrier.wait()
        for round_ in range(3):
            with db.write() as session:
                # Read, then write: the pattern that fails at once in a deferred SQLite transaction.
                session.scalar(select(func.count()).select_from(Site))
                place = site(session, f"W{n:02d}R{round_}", "America/New_York")
                cert(session, staff(session, place, f"S-{n}-{round_}"))
    except BaseException as exc:  # collected and asserted on below
        errors.append(exc)
    finally:
        db.dispose()


def test_it_keeps_every_write_from_twenty_writers(db: Database) -> None:
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_writer, args=(db.url, n, barrier, errors)) for n in range(WRITERS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Site)) == WRITERS * 3
        assert session.scalar(select(func.count()).select_from(Certification)) == WRITERS * 3
        result = audit.verify(session)
    assert result.ok, result.problems[:3]
    assert result.events == WRITERS * 3 * 3
