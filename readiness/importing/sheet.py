"""A sheet of an import file: its header row and data rows, read from CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from readiness.importing.cells import Cell

SUFFIXES = (".csv", ".xlsx")


class SheetError(Exception):
    """The file as a whole cannot be read; the message is the one-line reason."""


@dataclass(frozen=True)
class Unreadable:
    """A cell that holds no usable value (a formula without a saved result, an Excel error)."""

    reason: str


SheetCell = Cell | Unreadable


@dataclass
class Sheet:
    """Header cells and numbered data rows (row 1 is the header, data starts at row 2)."""

    name: str
    header: Sequence[SheetCell]
    rows: Sequence[tuple[int, Sequence[SheetCell]]] = field(default_factory=list)


def read_sheet(path: Path, name: str) -> Sheet:
    """Read a CSV or XLSX file; `name` is how errors name the file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = repr(suffix) if suffix else "(none)"
        raise SheetError(f"unsupported file type {shown} (use .csv or .xlsx)")
    if not path.is_file():
        raise SheetError("no such file")
    if suffix == ".xlsx":
        # openpyxl is loaded only by the imports that need it.
        from readiness.importing.workbook import read_workbook

        return read_workbook(path, name)
    return read_csv(path, name)


def read_csv(path: Path, name: str) -> Sheet:
    """A UTF-8 CSV (a BOM is fine), comma separated, first record the header."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(f"not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8'") from None
    try:
        records = list(csv.reader(io.StringIO(content, newline="")))
    except csv.Error as exc:
        raise SheetError(f"not a readable CSV file ({exc})") from None
    if not records:
        raise SheetError("empty file (no header row)")
    cells = [[cell if cell.strip() else None for cell in record] for record in records]
    # Records, not physical lines, are numbered: a quoted multi-line cell is one row in Excel too.
    return Sheet(name, list(cells[0]), [(n, row) for n, row in enumerate(cells[1:], start=2)])
