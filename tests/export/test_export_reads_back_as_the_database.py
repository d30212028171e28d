"""Every sheet reads back with openpyxl and pandas, and its cells are the database's values."""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import pandas as pd
from export_world import END, START, build_world, export
from openpyxl import load_workbook

from readiness.db import Database
from readiness.models import ChecklistResponse, CorrectiveAction, Drill, ServiceEvent

SHEETS = [
    "Cover",
    "Summary",
    "Equipment register",
    "Service and calibration log",
    "Stock and expiry",
    "Certifications",
    "Certification records",
    "Drills",
    "Checklist log",
    "Checklist items",
    "Incidents",
    "Corrective actions",
    "Audit trail",
    "Manifest",
]
DATA_SHEETS = SHEETS[1:-1]


def _frames(path: Path) -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(
            path, sheet_name=None, engine="openpyxl", keep_default_na=False, na_values=[]
        )


def test_it_writes_every_sheet_readable_by_openpyxl_and_pandas(
    db: Database, tmp_path: Path
) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    result = export(db, path)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == SHEETS
    frames = _frames(path)
    assert list(frames) == SHEETS
    rows = {d.name: d.rows for d in result.sheets}
    assert result.worksheets == len(SHEETS)
    for name in DATA_SHEETS:
        assert len(frames[name]) + 1 == rows[name], name


def test_cells_hold_the_database_values(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path)
    frames = _frames(path)
    with db.read() as session:
        drill = session.query(Drill).one()
        events = session.query(ServiceEvent).order_by(ServiceEvent.id).all()
        action = session.query(CorrectiveAction).one()
        answers = session.query(ChecklistResponse).count()
    drills = frames["Drills"]
    assert drills["Debrief"].tolist() == [drill.debrief]
    assert drills["Held at (UTC)"].tolist() == [pd.Timestamp(drill.held_at.replace(tzinfo=None))]
    assert drills["Held at (site time)"].tolist() == [pd.Timestamp(2026, 3, 9, 12, 0)]
    assert drills["Participant names"].tolist() == ["Ana Lopez (S-1); Lee Park (S-2)"]
    log = frames["Service and calibration log"]
    assert log["Record state"].tolist() == [e.record_state for e in events]
    assert log["Certificate number"].tolist() == [e.certificate_number for e in events]
    assert log["Supersedes record"].tolist() == ["", events[0].id]
    actions = frames["Corrective actions"]
    assert actions["Resolution"].tolist() == [action.resolution]
    assert actions["Closed by (printed name)"].tolist() == ["Lee Park"]
    assert actions["Status at period end"].tolist() == ["closed"]
    assert len(frames["Checklist items"]) == answers


def test_dates_are_real_dates_and_times_name_their_zone(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path)
    sheet = load_workbook(path, read_only=True)["Checklist log"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2))
    by_name = {cell.value: n for n, cell in enumerate(header)}
    slot = first[by_name["Slot date"]]
    assert isinstance(slot.value, datetime) and slot.number_format == "yyyy-mm-dd"
    assert slot.value.date() == START
    due = first[by_name["Due by (site time)"]]
    assert due.number_format == "yyyy-mm-dd hh:mm"
    assert first[by_name["Time zone"]].value == "America/Chicago"
    assert first[by_name["Due by (UTC)"]].value == datetime(2026, 3, 9, 15, 0)


def test_sheets_are_readable_tables(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path)
    book = load_workbook(path)
    for name in DATA_SHEETS:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
        assert sheet.print_title_rows == "$1:$1", name
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet["A1"].font.b, name
        assert sheet.column_dimensions["A"].width > 0, name
    log = book["Checklist log"]
    header = [c.value for c in log[1]]
    status = header.index("Status") + 1
    fills = {
        log.cell(row, status).value: log.cell(row, status).fill.fgColor.rgb
        for row in range(2, log.max_row + 1)
    }
    assert fills["missed"].endswith("FFC7CE")  # red
    assert fills["done"].endswith("C6EFCE")  # green
    manifest = [row for row in book["Manifest"].iter_rows(values_only=True)]
    labels = {row[0]: row[1] for row in manifest if len(row) > 1 and row[0]}
    assert labels["Period from"].date() == START and labels["Period to"].date() == END
    assert labels["Command"] == "readiness verify FILE.xlsx"
    for name in ("Cover", "Manifest"):
        assert book[name].page_setup.fitToWidth == 1, name
        assert book[name].column_dimensions["B"].width >= 26, name
