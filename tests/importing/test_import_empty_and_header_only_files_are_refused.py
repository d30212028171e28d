"""An empty file, or one with only its header, is refused: an import that does nothing is wrong."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from readiness.db import Database
from readiness.importing.run import import_dir, import_file


def test_an_empty_csv_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes(b"")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:1: empty file (no header row)"]
    assert report.summary().endswith("1 error: nothing written")


def test_a_header_only_csv_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("code,name,timezone\n\n,,\n", encoding="utf-8")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:2: no data rows below the header"]
    assert not report.written


def test_a_header_only_xlsx_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "timezone"])
    book.save(path)
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:2: no data rows below the header"]


def test_a_header_only_file_in_a_folder_undoes_the_others(db: Database, tmp_path: Path) -> None:
    (tmp_path / "sites.csv").write_text("code,name,timezone\nAUS1,Austin,America/Chicago\n")
    (tmp_path / "staff.csv").write_text("staff_id,site_code,full_name,role\n")
    report = import_dir(db, tmp_path, dry_run=False, actor="test")
    assert report.errors == ["staff.csv:2: no data rows below the header"]
    assert import_dir(db, tmp_path, dry_run=True, actor="test").files[0].counts.created == 1
