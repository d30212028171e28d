"""A date-time without an offset is wall-clock time at the row's site; with one, as given."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import select

from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.models import Drill

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def held_at(db: Database) -> list[datetime]:
    with db.read() as session:
        return list(session.scalars(select(Drill.held_at).order_by(Drill.id)))


def drills_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "drills.csv"
    path.write_text(
        "site_code,scenario,held_at,participants,outcome\n" + "".join(r + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


def test_a_naive_time_is_read_in_the_site_zone_after_dst(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = drills_csv(
        tmp_path,
        "AUS1,fire,2026-03-09T09:00,S-101,pass",  # Chicago, daylight time since 8 March
        "AUS1,fire,2026-03-06T09:00,S-101,pass",  # Chicago, still standard time
        "PHX1,fire,2026-03-09T09:00,S-201,pass",  # Phoenix keeps standard time
        "PHX1,anaphylaxis,2026-03-09T09:00:00+02:00,S-201,pass",  # an offset wins
        "PHX1,cardiac_arrest,2026-03-09T09:00Z,S-201,pass",
    )
    report = import_file(db, "drills", path, dry_run=False, actor="test")
    assert report.errors == []
    assert held_at(db)[-5:] == [
        datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 6, 15, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 16, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
    ]


def test_an_ambiguous_fall_back_time_takes_the_first(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = drills_csv(tmp_path, "AUS1,fire,2025-11-02T01:30,S-101,pass")
    assert import_file(db, "drills", path, dry_run=False, actor="test").errors == []
    assert held_at(db)[-1] == datetime(2025, 11, 2, 6, 30, tzinfo=UTC)  # CDT, UTC-5


def test_an_excel_date_time_cell_is_local_too(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["site_code", "scenario", "held_at", "participants", "outcome"])
    sheet.append(["AUS1", "fire", datetime(2026, 3, 9, 9, 0), "S-101;S-102", "pass"])
    path = tmp_path / "drills.xlsx"
    book.save(path)
    assert import_file(db, "drills", path, dry_run=False, actor="test").errors == []
    assert held_at(db)[-1] == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)


def test_sites_created_in_the_same_import_give_the_zone(db: Database, tmp_path: Path) -> None:
    (tmp_path / "sites.csv").write_text(
        "code,name,timezone\nHNL1,Honolulu,Pacific/Honolulu\n", encoding="utf-8"
    )
    (tmp_path / "staff.csv").write_text(
        "staff_id,site_code,full_name,role\nH-1,HNL1,Kai Akana,rn\n", encoding="utf-8"
    )
    drills_csv(tmp_path, "HNL1,fire,2026-03-09T09:00,H-1,pass")
    report = import_dir(db, tmp_path, dry_run=False, actor="test")
    assert report.errors == []
    assert held_at(db) == [datetime(2026, 3, 9, 19, 0, tzinfo=UTC)]
