"""Importing the same files again changes nothing and appends no audit event."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.models import AuditEvent

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def audit_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_the_same_directory_twice_changes_nothing(db: Database) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    events = audit_count(db)
    report = import_dir(db, GOOD, dry_run=False, actor="test")
    assert report.errors == []
    assert {c.created + c.amended for c in report.counts.values()} == {0}
    assert report.counts["service_events"].unchanged == 6
    assert report.summary().splitlines()[1] == "staff.csv: 0 created, 0 amended, 6 unchanged"
    assert audit_count(db) == events


def test_a_file_without_optional_columns_leaves_them_alone(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    events = audit_count(db)
    slim = tmp_path / "assets.csv"
    slim.write_text(
        "asset_id,site_code,kind,name\n"
        "L-AUS1-1,AUS1,laser,Vein laser\n"
        "AED-AUS1,AUS1,aed,Lobby AED\n",
        encoding="utf-8",
    )
    report = import_file(db, "assets", slim, dry_run=False, actor="test")
    assert (report.counts["assets"].unchanged, report.counts["assets"].amended) == (2, 0)
    assert audit_count(db) == events


def test_derived_expiries_match_on_reimport(db: Database) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    events = audit_count(db)
    path = GOOD / "certifications.csv"
    report = import_file(db, "certifications", path, dry_run=False, actor="test")
    assert report.counts["certifications"].unchanged == 7
    assert audit_count(db) == events
