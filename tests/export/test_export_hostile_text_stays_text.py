"""Text that looks like a formula, control characters, very long text and any script
round-trip as plain text; the package holds no formula and no external link."""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from export_world import build_world, export
from openpyxl import load_workbook

from readiness.db import Database
from readiness.export.cells import MAX_CELL_CHARS, safe_text
from readiness.models import Drill, Incident, ServiceEvent

LONG = "long text " * 4_000  # 40,000 characters
HOSTILE = [
    "=1+1",
    "+SUM(A1)",
    "-2",
    "@cmd",
    "\t=x",
    "\r\n=y",
    '=HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
    "#N/A",
    "control \x01\x02\x07\x08\x0b\x0c\x0e\x1b\x1f end",
    "RTL \u202e\u05e9\u05dc\u05d5\u05dd مرحبا \u202c",
    "emoji 😀👍🏽 and a lone 𝄞",
    "  spaces around  ",
    LONG,
    "😀" * 20_000,  # 40,000 UTF-16 units
]


def _corpus(engine: str) -> list[str]:
    # PostgreSQL text cannot hold NUL at all; SQLite can.
    return HOSTILE + (["nul \x00 inside"] if engine == "sqlite" else [])


@pytest.fixture
def workbook(db: Database, tmp_path: Path) -> Path:
    build_world(db, _corpus(db.dialect))
    path = tmp_path / "hostile.xlsx"
    export(db, path)
    return path


def _column(path: Path, sheet: str, header: str) -> list[object]:
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    index = rows[0].index(header)
    return [row[index] if index < len(row) else None for row in rows[1:]]


def test_hostile_strings_come_back_as_the_same_text(workbook: Path, db: Database) -> None:
    with db.read() as session:
        debriefs = [d.debrief for d in session.query(Drill).order_by(Drill.held_at, Drill.id)]
        notes = [e.notes for e in session.query(ServiceEvent).order_by(ServiceEvent.id)]
        stories = [i.description for i in session.query(Incident).order_by(Incident.id)]
    assert _column(workbook, "Drills", "Debrief") == [safe_text(d) for d in debriefs]
    assert _column(workbook, "Incidents", "Description") == [safe_text(s) for s in stories]
    logged = _column(workbook, "Service and calibration log", "Notes")
    assert sorted(map(str, logged)) == sorted(str(safe_text(n)) for n in notes)
    assert "=1+1" in debriefs and "=1+1" in _column(workbook, "Drills", "Debrief")


def test_pandas_reads_them_as_text_too(workbook: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = pd.read_excel(
            workbook, sheet_name=None, engine="openpyxl", keep_default_na=False, na_values=[]
        )
    debriefs = frames["Drills"]["Debrief"].tolist()
    for text in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x", '=HYPERLINK("http://x")', "#N/A"]:
        assert text in debriefs
    assert all(isinstance(value, str) for value in debriefs)


def test_controls_show_as_visible_symbols_and_long_text_is_cut_visibly(workbook: Path) -> None:
    debriefs = [str(v) for v in _column(workbook, "Drills", "Debrief")]
    assert "control ␁␂␇␈␋␌␎␛␟ end" in debriefs
    long = next(d for d in debriefs if d.startswith("long text"))
    assert long.endswith("[truncated: 40,000 characters in total]")
    assert len(long) <= MAX_CELL_CHARS
    emoji = next(d for d in debriefs if d.startswith("😀"))
    assert len(emoji.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert "\ufffd" not in emoji.split(" … ")[0]  # no pair cut in half


def test_the_package_has_no_formula_and_no_external_link(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as package:
        names = package.namelist()
        assert not [n for n in names if "externalLink" in n or n.endswith(".bin")]
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert len(sheets) == 14
        for name in sheets:
            xml = package.read(name)
            assert not re.search(rb"<f[ >/]", xml), name
            assert b"<hyperlink" not in xml, name
        assert b"externalReferences" not in package.read("xl/workbook.xml")
    for sheet in load_workbook(workbook, read_only=True).worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
