"""A sheet longer than Excel's row limit continues in "Name (2)", "Name (3)", ... each with
its header, its own manifest line, and verify still passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_world import build_world, export
from openpyxl import load_workbook

from readiness.db import Database
from readiness.export import check_workbook, stream

LIMIT = 12  # rows per worksheet, header included, instead of 1,048,576


def test_long_sheets_are_split_and_still_verify(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "EXCEL_MAX_ROWS", LIMIT)
    build_world(sqlite_db)
    path = tmp_path / "week.xlsx"
    result = export(sqlite_db, path)
    book = load_workbook(path, read_only=True)
    parts = [name for name in book.sheetnames if name.startswith("Checklist items")]
    assert parts[:3] == ["Checklist items", "Checklist items (2)", "Checklist items (3)"]
    headers = {tuple(next(book[name].iter_rows(values_only=True))) for name in parts}
    assert len(headers) == 1
    rows = [len(list(book[name].iter_rows())) for name in parts]
    assert all(count <= LIMIT for count in rows)
    assert {d.name for d in result.sheets} >= set(parts)
    assert check_workbook(sqlite_db, path).genuine
