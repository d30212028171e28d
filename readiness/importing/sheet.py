"""A sheet of an import file: its header row, then data rows streamed as they are read.

Nothing holds a whole file: the size is checked before a byte is parsed, CSV records
and XLSX rows arrive one at a time, and the row limit is checked as they do, so a
hostile file costs what its first rows cost.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from readiness.config import import_max_mb
from readiness.importing.cells import Cell

SUFFIXES = (".csv", ".xlsx")
HEADER_ROW = 1
# Far beyond any practice's records (200 sites x years of drills); a file this long
# is a mistake, and an import is one transaction (rows are streamed, not held).
MAX_ROWS = 100_000
_CHUNK = 1 << 20


class SheetError(Exception):
    """The file cannot be read further; the message is the one-line reason."""

    def __init__(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        super().__init__(reason)
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Unreadable:
    """A cell that holds no usable value (a formula without a saved result, an Excel error)."""

    reason: str


@dataclass(frozen=True)
class BadRow:
    """A row that breaks the file's shape (cells beyond the header, too few): an error, skipped."""

    reason: str
    column: str | None = None


SheetCell = Cell | Unreadable
Numbered = tuple[int, Sequence[SheetCell] | BadRow]


@dataclass
class Sheet:
    """Header cells and numbered data rows (row 1 is the header, data starts at row 2)."""

    name: str
    header: Sequence[SheetCell]
    rows: Iterator[Numbered]

    def close(self) -> None:
        """Release the file when the rows were not read to the end."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


def max_bytes() -> int:
    """The largest import file accepted (READINESS_IMPORT_MAX_MB)."""
    return import_max_mb() * 1024 * 1024


def read_sheet(path: Path, name: str, *, limit: int | None = None) -> Sheet:
    """Open a CSV or XLSX file for reading; `name` is how errors name the file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = repr(suffix) if suffix else "(none)"
        raise SheetError(f"unsupported file type {shown} (use .csv or .xlsx)")
    if not path.is_file():
        raise SheetError("no such file")
    check_size(path.stat().st_size, max_bytes() if limit is None else limit)
    if suffix == ".xlsx":
        # openpyxl is loaded only by the imports that need it.
        from readiness.importing.workbook import read_workbook

        return read_workbook(path, name)
    return read_csv(path, name)


def check_size(size: int, limit: int) -> None:
    """Refuse a file larger than the limit before reading it."""
    if size > limit:
        raise SheetError(
            f"refused: the file is {size / 2**20:,.1f} MB, over the import limit of"
            f" {limit / 2**20:,.0f} MB (READINESS_IMPORT_MAX_MB); split it into smaller files"
        )


def row_limit(number: int) -> None:
    """Refuse the row past MAX_ROWS data rows, as it arrives."""
    if number > MAX_ROWS + HEADER_ROW:
        raise SheetError(
            f"more than {MAX_ROWS:,} rows below the header; split the file", row=number
        )


def read_csv(path: Path, name: str) -> Sheet:
    """A UTF-8 CSV (a BOM is fine), comma separated, first record the header."""
    _check_utf8(path)
    records = _records(path)
    first = next(records, None)
    if first is None:
        raise SheetError("empty file (no header row)", row=HEADER_ROW)
    header = [_cell(cell) for cell in first[1]]
    return Sheet(name, header, _shaped(records, len(header)))


def _check_utf8(path: Path) -> None:
    """Refuse text that is not UTF-8, naming the first bad byte (one pass, a chunk at a time)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise SheetError(
                    f"not UTF-8 text (byte {offset + exc.start}); save it as 'CSV UTF-8'"
                ) from None
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise SheetError(f"not UTF-8 text (byte {offset}); save it as 'CSV UTF-8'") from None


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each CSV record; a broken quote stops the file at its row.

    Records, not physical lines, are numbered: a quoted multi-line cell is one row in
    Excel too. strict mode refuses a quote closed in the middle of a cell, and a quote
    left open to the end of the file, instead of gluing the rows after it into one cell.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        number = 0
        while True:
            line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise SheetError(_dialect_problem(str(exc), line), row=number + 1) from None
            number += 1
            row_limit(number)
            yield number, record


def _dialect_problem(message: str, line: int) -> str:
    """A plain sentence for the csv module's complaint about the record starting on `line`."""
    if "unexpected end of data" in message:
        return (
            f"a quote opened on line {line} is never closed, so every row after it would"
            " become one cell; close the quote"
        )
    if "field larger than field limit" in message:
        return (
            f"a cell starting on line {line} is longer than {csv.field_size_limit():,}"
            " characters (an unclosed quote?)"
        )
    if "expected after" in message:
        return (
            f"a quoted cell on line {line} has text after its closing quote;"
            ' write a quote inside a quoted cell as ""'
        )
    return f"not a readable CSV record starting on line {line} ({message})"


def _shaped(records: Iterator[tuple[int, list[str]]], width: int) -> Iterator[Numbered]:
    """Data rows with exactly the header's number of cells; a blank line is skipped."""
    for number, record in records:
        if not record:
            continue
        if len(record) != width:
            more = "more" if len(record) > width else "fewer"
            yield (
                number,
                BadRow(
                    f"{len(record):,} cells, {more} than the header's {width};"
                    " a stray comma or quote?"
                ),
            )
            continue
        yield number, [_cell(cell) for cell in record]


def _cell(cell: str) -> str | None:
    return cell if cell.strip() else None
