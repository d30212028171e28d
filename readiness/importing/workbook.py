"""Reading an XLSX file safely: size limits checked on the zip before any XML is parsed.

openpyxl parses the workbook's XML with defusedxml when it is importable (entity
expansion refused); the zip itself is checked here first, since a few kilobytes of
compressed zeros can declare gigabytes of XML.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from readiness.importing.sheet import Sheet, SheetCell, SheetError, Unreadable

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small members (styles, a short sheet) may compress beyond the ratio harmlessly.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024

Position = tuple[int, int]


@dataclass(frozen=True)
class Formula:
    """A formula cell, kept until its saved value is known."""

    where: str
    text: str


def check_archive(path: Path) -> None:
    """Refuse a file that is not a zip, or whose declared sizes are absurd."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise SheetError("not an XLSX workbook (not a zip archive)") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SheetError(
            f"refused: declared uncompressed size {total:,} bytes exceeds"
            f" the limit of {MAX_UNCOMPRESSED_BYTES:,} bytes"
        )
    for member in members:
        big = member.file_size >= RATIO_CHECKED_FROM_BYTES
        if big and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise SheetError(
                f"refused: declared uncompressed size of {member.filename}"
                f" ({member.file_size:,} bytes) exceeds {MAX_COMPRESSION_RATIO} times"
                f" its compressed size ({member.compress_size:,} bytes)"
            )


def read_workbook(path: Path, name: str) -> Sheet:
    """The first worksheet of an XLSX file; a formula cell gives its saved value."""
    if not openpyxl.DEFUSEDXML:
        raise SheetError("XLSX import needs the defusedxml package installed")
    check_archive(path)
    raw = list(_rows(path, data_only=False))
    formulas = {
        (number, column)
        for number, cells in raw
        for column, cell in enumerate(cells)
        if isinstance(cell, Formula)
    }
    # A second, value-only pass is paid for only by workbooks that hold formulas.
    saved = _saved_values(path, formulas) if formulas else {}
    rows = [
        (number, [_settled(cell, saved.get((number, c))) for c, cell in enumerate(cells)])
        for number, cells in raw
    ]
    if not rows:
        raise SheetError("empty workbook (no header row)")
    (first, header), *data = rows
    if first != 1:
        raise SheetError("row 1 must be the header row, but it is empty")
    return Sheet(name, header, data)


def _open(path: Path, *, data_only: bool) -> Any:
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many types for a broken file; all mean the same
        raise SheetError(f"not a readable XLSX workbook ({_one_line(exc)})") from None


def _rows(path: Path, *, data_only: bool) -> Iterator[tuple[int, list[SheetCell | Formula]]]:
    """(row number, cells) of the first worksheet's non-empty rows."""
    book = _open(path, data_only=data_only)
    try:
        if not book.worksheets:
            raise SheetError("not an XLSX workbook (it has no worksheet)")
        sheet = book.worksheets[0]
        # Some writers declare a wrong used range; without one every row is read.
        sheet.reset_dimensions()
        for number, cells in enumerate(_parsed(sheet), start=1):
            values = [_value(cell, number, column) for column, cell in enumerate(cells)]
            if any(v is not None for v in values):
                yield number, values
    finally:
        book.close()


def _parsed(sheet: Any) -> Iterator[Any]:
    """The sheet's rows; XML refused mid-way (entities, bad markup) is an unreadable file."""
    rows = sheet.iter_rows(min_row=1, min_col=1)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # the parsers raise many types; all mean a broken file
            raise SheetError(f"not a readable XLSX workbook ({_one_line(exc)})") from None
        yield row


def _one_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _value(cell: Any, row: int, column: int) -> SheetCell | Formula:
    """A cell's value; formulas and Excel errors become markers naming the cell."""
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        return Formula(f"{get_column_letter(column + 1)}{row}", str(cell.value))
    if kind == "e":
        where = f"{get_column_letter(column + 1)}{row}"
        return Unreadable(f"cell {where} holds the Excel error {cell.value}")
    value = cell.value
    if value is None or isinstance(value, str | int | float | bool | date | time):
        return value
    return str(value)  # e.g. a timedelta from a duration-formatted cell


def _saved_values(path: Path, wanted: set[Position]) -> dict[Position, SheetCell]:
    """The values Excel saved for formula cells (none when it never calculated the file)."""
    saved: dict[Position, SheetCell] = {}
    for number, cells in _rows(path, data_only=True):
        for column, value in enumerate(cells):
            if (number, column) in wanted and value is not None and not isinstance(value, Formula):
                saved[(number, column)] = value
    return saved


def _settled(cell: SheetCell | Formula, saved: SheetCell | None) -> SheetCell:
    if not isinstance(cell, Formula):
        return cell
    if saved is None:
        return Unreadable(
            f"formula cells are not accepted (cell {cell.where} holds {cell.text}"
            " and no saved value)"
        )
    return saved
