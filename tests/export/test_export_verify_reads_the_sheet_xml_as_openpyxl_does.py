"""verify streams the sheet XML itself; every row it reads is the row openpyxl reads, for the
export's own file (the fast path) and for the same file saved again by openpyxl (shared
strings, another row layout: the iterparse path)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from export_world import build_world, export
from openpyxl import load_workbook

from readiness.db import Database
from readiness.export import reader
from readiness.export.cells import CellValue, line_of

HOSTILE = ["=1+1", "a & b < c > d", "  padded  ", "tab\tand\nnewline\r", "émigré 😀"]


def openpyxl_lines(path: Path) -> dict[str, list[bytes]]:
    """Each sheet's canonical lines as openpyxl reads the cells (dates by their format)."""
    from datetime import datetime, timedelta

    found: dict[str, list[bytes]] = {}
    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        lines = []
        for row in sheet.iter_rows():
            values: list[object] = []
            for cell in row:
                value = cell.value
                if isinstance(value, datetime):
                    if cell.number_format == "yyyy-mm-dd":
                        value = value.date()
                    else:
                        value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
                values.append(value)
            lines.append(line_of(values))
        found[sheet.title] = lines
    book.close()
    return found


def streamed_lines(path: Path, paths_taken: list[str]) -> dict[str, list[bytes]]:
    book = reader.Workbook(path)

    def lines(rows: Iterable[list[CellValue]]) -> list[bytes]:
        return [line_of(row) for row in rows]

    try:
        return {sheet.name: book.read(sheet, lines) for sheet in book.sheets}
    finally:
        book.close()


@pytest.fixture
def exported(sqlite_db: Database, tmp_path: Path) -> Path:
    build_world(sqlite_db, HOSTILE)
    path = tmp_path / "week.xlsx"
    export(sqlite_db, path)
    return path


def trim(lines: dict[str, list[bytes]]) -> dict[str, list[bytes]]:
    """Without trailing empty rows (openpyxl pads a sheet to its stated dimension)."""
    out = {}
    for name, found in lines.items():
        while found and found[-1] == b"[]\n":
            found = found[:-1]
        out[name] = found
    return out


def test_the_exports_own_file_reads_as_openpyxl_reads_it(exported: Path) -> None:
    assert trim(streamed_lines(exported, [])) == trim(openpyxl_lines(exported))


def test_a_file_saved_again_by_openpyxl_reads_the_same(exported: Path, tmp_path: Path) -> None:
    resaved = tmp_path / "resaved.xlsx"
    load_workbook(exported).save(resaved)
    assert trim(streamed_lines(resaved, [])) == trim(openpyxl_lines(resaved))
    assert trim(streamed_lines(resaved, [])) == trim(streamed_lines(exported, []))
