"""A dry run validates everything, as a real import would, and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing.run import import_dir
from readiness.models import Base

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def row_counts(db: Database) -> dict[str, int]:
    """Rows in every table, audit_events included."""
    with db.read() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(db: Database) -> None:
    before = row_counts(db)
    report = import_dir(db, GOOD, dry_run=True, actor="test")
    assert report.errors == []
    # Staff rows found the sites that only the same dry run "created".
    assert report.counts["staff"].created == 6
    assert report.counts["drills"].created == 4
    assert report.summary().splitlines()[-1] == "dry run: nothing written"
    assert not report.written
    assert row_counts(db) == before


def test_a_dry_run_over_existing_data_counts_changes(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    before = row_counts(db)
    shutil.copytree(GOOD, tmp_path / "practice")
    staff = tmp_path / "practice" / "staff.csv"
    staff.write_text(
        staff.read_text(encoding="utf-8").replace(
            "S-104,AUS1,Sam Ortiz,front_desk", "S-104,AUS1,Sam Ortiz,other"
        ),
        encoding="utf-8",
    )
    report = import_dir(db, tmp_path / "practice", dry_run=True, actor="test")
    assert report.errors == []
    assert (report.counts["staff"].amended, report.counts["staff"].unchanged) == (1, 5)
    assert row_counts(db) == before


def test_a_dry_run_finds_the_same_errors(db: Database, tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "practice")
    (tmp_path / "practice" / "certifications.csv").write_text(
        "staff_id,type,issued_on\nS-404,bls,2025-01-01\n", encoding="utf-8"
    )
    report = import_dir(db, tmp_path / "practice", dry_run=True, actor="test")
    assert report.errors == ["certifications.csv:2: staff_id: unknown staff id 'S-404'"]
    assert report.summary().splitlines()[-1] == "1 error: nothing written"
