"""Text that looks like a formula is stored as the text it is; real formulas need a value."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Site

RISKY = {
    "name": '=HYPERLINK("http://example.invalid","Click")',
    "address": "+1 Main St",
    "phone": "-555-0100",
    "nearest_hospital": "@SUM(A1:A9)",
}


def stored_site(db: Database, code: str) -> Site:
    with db.read() as session:
        return session.scalars(select(Site).where(Site.code == code)).one()


def test_csv_text_starting_with_formula_characters_round_trips(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "sites.csv"
    quoted = ",".join('"' + v.replace('"', '""') + '"' for v in RISKY.values())
    header = ",".join(RISKY)
    path.write_text(f"code,timezone,{header}\nDAL1,America/Chicago,{quoted}\n", encoding="utf-8")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == []
    site = stored_site(db, "DAL1")
    assert {k: getattr(site, k) for k in RISKY} == RISKY


def test_xlsx_text_cells_starting_with_formula_characters_round_trip(
    db: Database, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "timezone", *RISKY])
    for column, value in enumerate(["DAL1", "America/Chicago", *RISKY.values()], start=1):
        cell = sheet.cell(row=2, column=column, value=value)
        cell.data_type = "s"  # a text cell, as Excel saves text typed after a quote
    path = tmp_path / "sites.xlsx"
    book.save(path)
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == []
    site = stored_site(db, "DAL1")
    assert {k: getattr(site, k) for k in RISKY} == RISKY


@pytest.fixture
def formula_book(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "timezone"])
    sheet.append(["DAL1", '=CONCAT("Dal","las")', "America/Chicago"])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    return path


def rewrite_cell_b2(path: Path, xml: bytes) -> None:
    """Replace cell B2 of the first sheet with raw XML, as another spreadsheet program wrote it."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    written = b'<c r="B2"><f>CONCAT("Dal","las")</f><v></v></c>'
    assert written in members[sheet]
    members[sheet] = members[sheet].replace(written, xml)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell(
    db: Database, formula_book: Path
) -> None:
    report = import_file(db, "sites", formula_book, dry_run=False, actor="test")
    assert report.errors == [
        f"{formula_book}:2: name: formula cells are not accepted"
        ' (cell B2 holds =CONCAT("Dal","las") and no saved value)'
    ]


def test_a_formula_with_a_saved_value_gives_that_value(db: Database, formula_book: Path) -> None:
    # What Excel writes after calculating: the formula and its result side by side.
    rewrite_cell_b2(formula_book, b'<c r="B2" t="str"><f>CONCAT("Dal","las")</f><v>Dallas</v></c>')
    report = import_file(db, "sites", formula_book, dry_run=False, actor="test")
    assert report.errors == []
    assert stored_site(db, "DAL1").name == "Dallas"


def test_an_excel_error_value_is_an_error_naming_the_cell(db: Database, formula_book: Path) -> None:
    rewrite_cell_b2(formula_book, b'<c r="B2" t="e"><v>#N/A</v></c>')
    report = import_file(db, "sites", formula_book, dry_run=False, actor="test")
    assert report.errors == [f"{formula_book}:2: name: cell B2 holds the Excel error #N/A"]
