"""One bad row anywhere in an import, and nothing of the whole import is written."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.models import Base

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def row_counts(db: Database) -> dict[str, int]:
    """Rows in every table, audit_events included."""
    with db.read() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def test_a_bad_row_among_good_ones_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "code,name,timezone\n"
        "DAL1,Dallas,America/Chicago\n"
        "HOU1,Houston,Texas/Houston\n"
        "SAT1,San Antonio,America/Chicago\n",
        encoding="utf-8",
    )
    before = row_counts(db)
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert len(report.errors) == 1
    assert row_counts(db) == before
    assert report.summary() == f"{path}: not imported\n1 error: nothing written"


def test_a_bad_row_in_the_last_file_undoes_every_earlier_file(db: Database, tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "practice")
    docs = tmp_path / "practice" / "documents.csv"
    docs.write_text(
        docs.read_text(encoding="utf-8") + "PHX1,transfer_agreement,2025-13-01,Chris Nguyen,,\n",
        encoding="utf-8",
    )
    before = row_counts(db)
    report = import_dir(db, tmp_path / "practice", dry_run=False, actor="test")
    assert report.errors == ["documents.csv:5: reviewed_on: not a date (YYYY-MM-DD): '2025-13-01'"]
    assert row_counts(db) == before


def test_a_bad_row_leaves_an_existing_practice_exactly_as_it_was(
    db: Database, tmp_path: Path
) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    before = row_counts(db)
    with db.read() as session:
        head = audit.head(session)
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "staff_id,site_code,full_name,role\n"
        "S-101,AUS1,Dr. Maria Alvarez-Ruiz,medical_director\n"  # a change: would be an update
        "S-301,AUS1,New Person,rn\n"  # new: would be created
        "S-302,ZZZ9,Someone Else,rn\n",
        encoding="utf-8",
    )
    report = import_file(db, "staff", staff, dry_run=False, actor="test")
    assert report.errors == [f"{staff}:4: site_code: unknown site code 'ZZZ9'"]
    assert row_counts(db) == before
    with db.read() as session:
        assert audit.head(session) == head
        assert audit.verify(session).ok


def test_errors_of_several_files_are_all_reported(db: Database, tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "practice")
    (tmp_path / "practice" / "stock.csv").write_text(
        "site_code,item,lot_number,expires_on,quantity\nAUS1,epinephrine_adult,X1,2027-01-31,lots\n",
        encoding="utf-8",
    )
    (tmp_path / "practice" / "drills.csv").write_text(
        "site_code,scenario,held_at,participants,outcome\nPHX1,fire,2026-01-10T10:00,S-101;S-777,ok\n",
        encoding="utf-8",
    )
    before = row_counts(db)
    report = import_dir(db, tmp_path / "practice", dry_run=False, actor="test")
    assert report.errors == [
        "stock.csv:2: quantity: not a whole number: 'lots'",
        "drills.csv:2: outcome: 'ok' is not one of: pass, fail",
        "drills.csv:2: participants: unknown staff id 'S-777'",
    ]
    assert row_counts(db) == before
