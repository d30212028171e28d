"""A CSV row with more or fewer cells than the header is an error naming its row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Site

HEADER = "code,name,timezone\n"
GOOD = "AUS1,Austin,America/Chicago\n"


def _sites(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Site)) or 0


def test_extra_and_missing_cells_are_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        HEADER
        + GOOD
        + "DAL1,Dallas,America/Chicago,TX\nHOU1,Houston\n"
        + "\n"
        + GOOD.replace("1", "2"),
        encoding="utf-8",
    )
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:3: 4 cells, more than the header's 3; a stray comma or quote?",
        f"{path}:4: 2 cells, fewer than the header's 3; a stray comma or quote?",
    ]
    assert _sites(db) == 0


def test_two_hundred_thousand_cells_in_a_row_are_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(HEADER + GOOD + "DAL1,Dallas,America/Chicago" + ",x" * 200_000 + "\n")
    report = import_file(db, "sites", path, dry_run=True, actor="test")
    assert report.errors == [
        f"{path}:3: 200,003 cells, more than the header's 3; a stray comma or quote?"
    ]


def test_the_same_count_with_empty_trailing_cells_is_fine(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("code,name,timezone,phone\nAUS1,Austin,America/Chicago,\n", encoding="utf-8")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == []
    assert _sites(db) == 1


def test_an_xlsx_value_beyond_the_header_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "timezone"])
    sheet.append(["AUS1", "Austin", "America/Chicago"])
    sheet.append(["DAL1", "Dallas", "America/Chicago", None, "TX"])
    book.save(path)
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:3: a value in column 5, which has no header: 'TX'"]
    assert _sites(db) == 0
