"""Reading an XLSX file safely: size limits checked on the zip before any XML is parsed.

openpyxl parses the workbook's XML with defusedxml when it is importable (entity
expansion refused); the zip itself is checked here first, since a few kilobytes of
compressed zeros can declare gigabytes of XML.
"""

from __future__ import annotations

import zipfile
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from readiness.importing.sheet import (
    HEADER_ROW,
    Sheet,
    SheetCell,
    SheetError,
    Unreadable,
    row_limit,
)

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small members (styles, a short sheet) may compress beyond the ratio harmlessly.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


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
    """The first worksheet of an XLSX file, streamed; a formula cell gives its saved value."""
    if not openpyxl.DEFUSEDXML:
        raise SheetError("XLSX import needs the defusedxml package installed")
    check_archive(path)
    rows = _settled_rows(path)
    first = next(rows, None)
    if first is None:
        raise SheetError("empty workbook (no header row)", row=HEADER_ROW)
    number, header = first
    if number != HEADER_ROW:
        rows.close()
        raise SheetError("row 1 must be the header row, but it is empty", row=HEADER_ROW)
    return Sheet(name, header, rows)


def _settled_rows(path: Path) -> Generator[tuple[int, list[SheetCell]]]:
    """Rows as they are parsed, formulas replaced by the values Excel saved for them."""
    saved: _SavedValues | None = None
    try:
        with closing(_rows(path, data_only=False)) as rows:
            for number, cells in rows:
                values: list[SheetCell | Formula] = []
                if any(isinstance(cell, Formula) for cell in cells):
                    # A second, value-only reader is paid for only by workbooks with formulas.
                    saved = saved or _SavedValues(path)
                    values = saved.row(number)
                yield (
                    number,
                    [
                        _settled(cell, values[c] if c < len(values) else None)
                        for c, cell in enumerate(cells)
                    ],
                )
    finally:
        if saved is not None:
            saved.close()


class _SavedValues:
    """The value-only reading of the same sheet, advanced in step with the formula reading."""

    def __init__(self, path: Path) -> None:
        self._rows = _rows(path, data_only=True)
        self._pending: tuple[int, list[SheetCell | Formula]] | None = None
        self._done = False

    def row(self, number: int) -> list[SheetCell | Formula]:
        """The saved values of row `number` (empty when Excel saved none)."""
        while not self._done and (self._pending is None or self._pending[0] < number):
            self._pending = next(self._rows, None)
            self._done = self._pending is None
        if self._pending is not None and self._pending[0] == number:
            return self._pending[1]
        return []

    def close(self) -> None:
        """Close the second reading of the workbook."""
        self._rows.close()


def _open(path: Path, *, data_only: bool) -> Any:
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many types for a broken file; all mean the same
        raise SheetError(f"not a readable XLSX workbook ({_one_line(exc)})") from None


def _rows(path: Path, *, data_only: bool) -> Generator[tuple[int, list[SheetCell | Formula]]]:
    """(row number, cells) of the first worksheet's non-empty rows."""
    book = _open(path, data_only=data_only)
    try:
        if not book.worksheets:
            raise SheetError("not an XLSX workbook (it has no worksheet)")
        sheet = book.worksheets[0]
        # Some writers declare a wrong used range; without one every row is read.
        sheet.reset_dimensions()
        for number, cells in enumerate(_parsed(sheet), start=1):
            row_limit(number)
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


def _settled(cell: SheetCell | Formula, saved: SheetCell | Formula | None) -> SheetCell:
    if not isinstance(cell, Formula):
        return cell
    if saved is None or isinstance(saved, Formula):
        return Unreadable(
            f"formula cells are not accepted (cell {cell.where} holds {cell.text}"
            " and no saved value)"
        )
    return saved
