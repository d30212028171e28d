"""A workbook of many rows is imported a batch at a time: the session never holds the file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.importing.spool import BATCH_ROWS
from readiness.models import AuditEvent, ServiceEvent

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
ASSETS = ["L-AUS1-1", "AED-AUS1", "O2-AUS1", "KIT-AUS1", "L-PHX1-1", "AED-PHX1", "FX-PHX1"]
HEADER = ["asset_id", "kind", "performed_on", "performed_by", "result", "notes"]
ROWS = 5 * BATCH_ROWS + 1


def events_workbook(path: Path, rows: int) -> Path:
    """Service events in openpyxl's write-only mode (dates as Excel dates)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for n in range(rows):
        day = date(2010, 1, 1) + timedelta(days=n // len(ASSETS))
        sheet.append([ASSETS[n % len(ASSETS)], "inspection", day, "Tech", "pass", f"row {n}"])
    book.save(path)
    return path


@pytest.fixture
def most_held() -> Iterator[list[int]]:
    """The largest number of objects any session held after a flush, while the test runs."""
    seen = [0]

    def after_flush(session: Session, _context: Any) -> None:
        seen[0] = max(seen[0], len(session.identity_map))

    event.listen(Session, "after_flush", after_flush)
    yield seen
    event.remove(Session, "after_flush", after_flush)


def test_rows_are_written_a_batch_at_a_time(
    db: Database, tmp_path: Path, most_held: list[int]
) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = events_workbook(tmp_path / "service_events.xlsx", ROWS)
    most_held[0] = 0
    report = import_file(db, "service_events", path, dry_run=False, actor="test")
    assert report.errors == []
    assert str(report.counts["service_events"]) == f"{ROWS} created, 0 amended, 0 unchanged"
    # Every row written, yet never more than one batch of them in the session at once.
    assert most_held[0] <= BATCH_ROWS + 50
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ServiceEvent)) == ROWS + 6
        reason = f"import {path} row {ROWS + 1}"
        last = select(func.count()).where(AuditEvent.reason == reason)
        assert session.scalar(last) == 1
        assert audit.verify(session).ok


def test_a_reimport_of_the_same_workbook_changes_nothing(
    sqlite_db: Database, tmp_path: Path
) -> None:
    import_dir(sqlite_db, GOOD, dry_run=False, actor="test")
    path = events_workbook(tmp_path / "service_events.xlsx", 2 * BATCH_ROWS + 1)
    assert import_file(sqlite_db, "service_events", path, dry_run=False, actor="test").written
    with sqlite_db.read() as session:
        head = audit.head(session)
    again = import_file(sqlite_db, "service_events", path, dry_run=False, actor="test")
    assert (
        str(again.counts["service_events"])
        == f"0 created, 0 amended, {2 * BATCH_ROWS + 1} unchanged"
    )
    with sqlite_db.read() as session:
        assert audit.head(session) == head
