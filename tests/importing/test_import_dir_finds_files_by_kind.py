"""`import --dir`: the file name is the kind, unknown files are noted, two of a kind refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readiness.db import Database
from readiness.errors import UserError
from readiness.importing.run import import_dir

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of its own (the SQLite database lives in tmp_path)."""
    path = tmp_path / "upload"
    path.mkdir()
    return path


def test_unknown_and_hidden_files_are_noted_or_skipped(db: Database, folder: Path) -> None:
    shutil.copy(GOOD / "sites.csv", folder / "Sites.CSV")
    (folder / "notes.txt").write_text("not an import file", encoding="utf-8")
    (folder / "patients.csv").write_text("name\nnobody\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "archive").mkdir()
    report = import_dir(db, folder, dry_run=False, actor="test")
    assert report.errors == []
    assert report.summary() == (
        "Sites.CSV: 2 created, 0 amended, 0 unchanged\n"
        "ignored unknown files: notes.txt, patients.csv"
    )


def test_two_files_of_one_kind_are_refused(db: Database, folder: Path) -> None:
    shutil.copy(GOOD / "sites.csv", folder / "sites.csv")
    (folder / "sites.xlsx").write_bytes(b"")
    shutil.copy(GOOD / "staff.csv", folder / "staff.csv")
    report = import_dir(db, folder, dry_run=False, actor="test")
    assert report.errors == [
        "sites.xlsx: two files of kind sites (sites.csv, sites.xlsx); keep one"
    ]
    assert report.counts == {}


def test_a_directory_without_import_files_is_a_user_error(db: Database, folder: Path) -> None:
    (folder / "readme.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(UserError, match=r": no import files \(expected sites.csv, staff.csv, "):
        import_dir(db, folder, dry_run=False, actor="test")
    with pytest.raises(UserError, match="missing: not a directory"):
        import_dir(db, folder / "missing", dry_run=False, actor="test")


def test_later_files_may_refer_to_rows_of_earlier_ones(db: Database, folder: Path) -> None:
    # Listed alphabetically, staff.csv would come after sites.csv anyway; stock.csv
    # before staff.csv would not, so certifications must wait for staff regardless.
    for name in ("sites.csv", "staff.csv", "certifications.csv"):
        shutil.copy(GOOD / name, folder / name)
    report = import_dir(db, folder, dry_run=False, actor="test")
    assert report.errors == []
    assert [r.file for r in report.files] == ["sites.csv", "staff.csv", "certifications.csv"]
