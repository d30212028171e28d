"""A drills or service-events file with a patient identifier in its free text is refused,
naming FILE:ROW: column, what was found and what to write; nothing of it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.models import Drill, ServiceEvent

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
JANE = "Jane Doe DOB 04/12/1985 tel 555-867-5309"
SAID = (
    "names a patient identifier: DOB; looks like a date of birth: 04/12/1985;"
    " looks like a phone number: 555-867-5309; write a pseudonymous case reference such as"
    " C-2026-0014 and no contact details, date of birth or patient details"
    " (dates of this clinic's own records are fine)"
)


@pytest.fixture
def practice(db: Database) -> Database:
    assert import_dir(db, GOOD, dry_run=False, actor="test").errors == []
    return db


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_drills_file_with_an_identifier_is_refused_by_row_and_column(
    practice: Database, tmp_path: Path
) -> None:
    path = tmp_path / "drills.csv"
    path.write_text(
        "site_code,scenario,held_at,participants,outcome,debrief\n"
        "AUS1,fire,2026-02-10T10:00,S-101,pass,Exits clear\n"
        f'AUS1,fire,2026-02-11T10:00,S-101,pass,"{JANE}"\n',
        encoding="utf-8",
    )
    before = count(practice, Drill)
    report = import_file(practice, "drills", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:3: debrief: {SAID}"]
    assert count(practice, Drill) == before  # the good row is not written either


def test_service_event_notes_are_screened_too(practice: Database, tmp_path: Path) -> None:
    path = tmp_path / "service_events.csv"
    path.write_text(
        "asset_id,kind,performed_on,performed_by,result,notes\n"
        "AED-AUS1,inspection,2026-01-05,Tech,pass,emailed jane.doe@example.com\n",
        encoding="utf-8",
    )
    before = count(practice, ServiceEvent)
    report = import_file(practice, "service_events", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:2: notes: looks like an e-mail address: jane.doe@example.com; write a"
        " pseudonymous case reference such as C-2026-0014 and no contact details"
    ]
    assert count(practice, ServiceEvent) == before


def test_clinical_debriefs_and_recent_dates_import(practice: Database, tmp_path: Path) -> None:
    path = tmp_path / "drills.csv"
    path.write_text(
        "site_code,scenario,held_at,participants,outcome,debrief\n"
        "AUS1,fire,2026-02-10T10:00,S-101,pass,time to AED 140 s; re-drill 2026-03-12\n",
        encoding="utf-8",
    )
    report = import_file(practice, "drills", path, dry_run=False, actor="test")
    assert report.errors == []
    with practice.read() as session:
        debriefs = session.scalars(select(Drill.debrief)).all()
    assert "time to AED 140 s; re-drill 2026-03-12" in debriefs
