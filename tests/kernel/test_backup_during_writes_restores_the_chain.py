"""A backup taken while writers run restores to a valid chain whose head matches the source."""

from __future__ import annotations

import threading
from pathlib import Path

from factories import cert, site, staff
from pgcluster import PgCluster
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.backup import backup, restore_postgresql
from readiness.db import Database
from readiness.models import AuditEvent


def _keep_writing(db: Database, stop: threading.Event, errors: list[BaseException]) -> None:
    n = 0
    try:
        while not stop.is_set():
            with db.write() as session:
                cert(session, staff(session, site(session, f"B{n:04d}"), f"S-B{n}"))
            n += 1
    except BaseException as exc:  # asserted on by the test
        errors.append(exc)


def _backup_while_writing(db: Database, out: Path) -> None:
    with db.write() as session:  # some history before the writer starts
        site(session, "PRE1")
    stop, errors = threading.Event(), []
    writer = threading.Thread(target=_keep_writing, args=(db, stop, errors))
    writer.start()
    try:
        while True:  # wait until the writer is well under way
            with db.read() as session:
                if audit.head(session)[0] > 30:
                    break
        backup(db.url, out)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert errors == []


def _assert_same_chain(source: Database, copy: Database) -> None:
    with copy.read() as session:
        result = audit.verify(session)
    assert result.ok, result.problems[:3]
    assert result.events > 30
    with source.read() as session:
        source_hash = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == result.events))
        source_head = audit.head(session)[0]
    assert source_hash == result.head
    assert source_head > result.events  # the writer went on after the copy was taken


def test_sqlite_online_backup_is_consistent(sqlite_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    _backup_while_writing(sqlite_db, out)
    copy = Database(f"sqlite:///{out}")
    _assert_same_chain(sqlite_db, copy)
    copy.dispose()


def test_pg_dump_backup_restores_consistent(
    pg_db: Database, pg_cluster: PgCluster, tmp_path: Path
) -> None:
    out = tmp_path / "copy.dump"
    _backup_while_writing(pg_db, out)
    name = pg_cluster.create_database("restored")
    try:
        restore_postgresql(out, pg_cluster.url(name))
        copy = Database(pg_cluster.url(name))
        _assert_same_chain(pg_db, copy)
        copy.dispose()
    finally:
        pg_cluster.drop_database(name)
