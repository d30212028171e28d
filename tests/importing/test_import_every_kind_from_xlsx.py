"""The good practice imports from XLSX with typed cells, giving exactly what the CSVs give."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing import cells
from readiness.importing.kinds import KINDS, Kind
from readiness.importing.run import import_dir, import_file
from readiness.models import AuditEvent, Drill, StockLot

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def typed(kind: Kind, column: str, text: str) -> Any:
    """A CSV cell as the typed value Excel would hold: dates, numbers, booleans."""
    if not text:
        return None
    parse = kind.column(column).parse if column in {c.name for c in kind.columns} else None
    if parse is cells.day:
        return date.fromisoformat(text)
    if parse is cells.instant and len(text) <= 16:
        return datetime.fromisoformat(text)  # naive: read in the site's zone
    if parse is cells.yes_no:
        return text == "yes"
    if column in {"quantity", "service_interval_months", "time_to_aed_s", "time_to_epinephrine_s"}:
        return float(text)  # Excel keeps every number as a float: 2.0
    return text


def write_xlsx(source: Path, target: Path) -> None:
    """Copy a CSV of the good practice into the first sheet of a new workbook."""
    kind = KINDS[source.stem]
    with source.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([typed(kind, col, value) for col, value in zip(header, row, strict=True)])
    book.create_sheet("Notes").append(["this sheet is not read"])
    book.save(target)


@pytest.fixture
def xlsx_dir(tmp_path: Path) -> Path:
    for source in GOOD.glob("*.csv"):
        write_xlsx(source, tmp_path / f"{source.stem}.xlsx")
    return tmp_path


def test_every_kind_imports_from_xlsx(db: Database, xlsx_dir: Path) -> None:
    report = import_dir(db, xlsx_dir, dry_run=False, actor="test")
    assert report.errors == []
    assert report.summary().splitlines()[0] == "sites.xlsx: 2 created, 0 amended, 0 unchanged"
    assert sum(c.created for c in report.counts.values()) == 40
    with db.read() as session:
        lots = session.scalars(select(StockLot).order_by(StockLot.id)).all()
        drill = session.scalars(select(Drill).order_by(Drill.id)).first()
    assert [lot.quantity for lot in lots] == [2, 2, 1, 2]
    assert drill is not None
    assert drill.held_at.isoformat() == "2026-01-14T15:30:00+00:00"


def test_the_csv_files_then_change_nothing(db: Database, xlsx_dir: Path) -> None:
    import_dir(db, xlsx_dir, dry_run=False, actor="test")
    with db.read() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    report = import_dir(db, GOOD, dry_run=False, actor="test")
    assert report.errors == []
    assert {c.created + c.amended for c in report.counts.values()} == {0}
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_date_cells_with_a_time_of_day_are_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.xlsx"
    write_xlsx(GOOD / "sites.csv", path)
    import_file(db, "sites", path, dry_run=False, actor="test")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Site_Code", "Type", "Reviewed_On", "Reviewed_By"])
    sheet.append(["AUS1", "emergency_plan", datetime(2025, 8, 1, 14, 30), "Dr. A"])
    sheet.append(["AUS1", "transfer_agreement", datetime(2025, 8, 1), 1234.0])
    docs = tmp_path / "documents.xlsx"
    book.save(docs)
    report = import_file(db, "documents", docs, dry_run=False, actor="test")
    assert report.errors == [
        f"{docs}:2: reviewed_on: not a date (YYYY-MM-DD), it has a time of day:"
        " '2025-08-01T14:30:00'"
    ]


def test_empty_rows_are_skipped_and_numbering_follows_the_sheet(
    db: Database, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "timezone"])
    sheet.append(["DAL1", "Dallas", "America/Chicago"])
    sheet.append([None, None, None])
    sheet.append(["HOU1", "Houston", "America/Houston"])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:4: timezone: unknown time zone 'America/Houston'"
        " (an IANA name such as America/Chicago)"
    ]
