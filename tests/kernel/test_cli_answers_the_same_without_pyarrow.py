"""The commands answer the same without pyarrow: `readiness status --format json` and
`readiness export` run as commands (pyarrow left out, text stored as Python objects) print
and write exactly what they do in this process, where pandas stores text in Arrow."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from checklist_world import readiness
from export_world import build_world

from readiness.cli import main
from readiness.db import Database

# Hostile text goes through both storages: formulas, right-to-left marks, emoji, controls.
HOSTILE = ["=1+1", "émigré \u202e RTL 😀", "tab\tand\nnewline", 'say "ready" \\ now']
EXPORT = ["export", "--site", "AUS1,PHX1", "--from", "2026-03-09", "--to", "2026-03-14"]
# The rows that name the moment the workbook was made (and the Cover's digest, which
# covers that moment): the only ones two exports of the same records may differ in.
MOMENT_ROWS = {"Prepared", "Generated at (UTC)", "Cover"}

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed here"
)


@pytest.fixture
def url(db: Database) -> str:
    build_world(db, HOSTILE)
    return db.url


@pytest.fixture(autouse=True)
def _arrow_text_here() -> None:
    """This process must hold the other storage, or the comparison proves nothing."""
    assert sys.modules.get("pyarrow") is not None
    text = pd.Series(["x"], dtype="str").dtype
    assert isinstance(text, pd.StringDtype) and text.storage == "pyarrow"


def test_status_json_is_the_same(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", url, "status", "--format", "json", "--as-of", "2026-03-14"]
    assert main(args) == 0
    here = capsys.readouterr().out
    command = readiness(*args)
    assert command.returncode == 0, command.stderr
    assert '"status": "overdue"' in here and '"status": "ok"' in here
    assert command.stdout == here


def test_export_writes_the_same_workbook(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    here, there = tmp_path / "here.xlsx", tmp_path / "command.xlsx"
    assert main(["--db", url, "--actor", "t", *EXPORT, "-o", str(here), "--quiet"]) == 0
    capsys.readouterr()
    command = readiness("--db", url, "--actor", "t", *EXPORT, "-o", str(there), "--quiet")
    assert command.returncode == 0, command.stderr
    mine, theirs = _sheets(here), _sheets(there)
    assert list(mine) == list(theirs)
    assert len(mine) == 14 and sum(len(rows) for rows in mine.values()) > 200
    for name, rows in mine.items():
        assert rows == theirs[name], name


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows as openpyxl reads them, less the rows naming the moment made."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [
                row
                for row in sheet.iter_rows(values_only=True)
                if not row or row[0] not in MOMENT_ROWS
            ]
            for sheet in book.worksheets
        }
    finally:
        book.close()
