"""A free-text cell that looks like it holds a patient identifier (old data, written
straight into the database) is exported as "[withheld: possible identifier]" and counted
on the cover; clinical text next to it is exported as it is."""

from __future__ import annotations

from pathlib import Path

from export_world import build_world, export
from openpyxl import load_workbook
from sqlalchemy import text

from readiness.db import Database
from readiness.rules.identifiers import WITHHELD

JANE = "Jane Doe DOB 04/12/1985 tel 555-867-5309"
COUNTED = "Cells withheld (patient privacy)"


def _column(path: Path, sheet: str, header: str) -> list[object]:
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    index = rows[0].index(header)
    return [row[index] if index < len(row) else None for row in rows[1:]]


def _cover_count(path: Path) -> object:
    rows = load_workbook(path, read_only=True)["Cover"].iter_rows(values_only=True)
    return next(row[1] for row in rows if row and row[0] == COUNTED)


def test_an_identifier_written_with_sql_is_withheld_and_counted(
    db: Database, tmp_path: Path
) -> None:
    build_world(db)
    clean = tmp_path / "clean.xlsx"
    export(db, clean)
    assert _cover_count(clean) == 0
    with db.write() as session:
        first = session.execute(text("SELECT min(id) FROM incidents")).scalar_one()
        session.execute(
            text("UPDATE incidents SET description = :jane WHERE id = :id"),
            {"jane": JANE, "id": first},
        )
        session.execute(
            text("UPDATE drills SET debrief = :jane WHERE id = (SELECT min(id) FROM drills)"),
            {"jane": "called her on (555) 867-5309"},
        )
    path = tmp_path / "withheld.xlsx"
    export(db, path)
    descriptions = _column(path, "Incidents", "Description")
    assert descriptions.count(WITHHELD) == 1
    assert JANE not in descriptions
    assert "Cooled and dressed" in _column(path, "Incidents", "Actions taken")
    debriefs = _column(path, "Drills", "Debrief")
    assert debriefs.count(WITHHELD) == 1
    assert _cover_count(path) == 2
    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and "555" in v and "867" in v for v in row)
