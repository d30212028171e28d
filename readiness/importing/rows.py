"""Rows of a sheet checked against a kind: header columns found, each cell parsed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from readiness.importing.cells import CellError, is_blank, shown
from readiness.importing.kinds import Column, Kind
from readiness.importing.report import Problem
from readiness.importing.sheet import HEADER_ROW, BadRow, Sheet, SheetCell, Unreadable


@dataclass(slots=True)
class Row:
    """A data row: parsed values by column name (columns present), and the cells that failed."""

    number: int
    values: dict[str, Any]
    failed: set[str] = field(default_factory=set)


@dataclass
class Layout:
    """Where each known column of a kind sits in a sheet, and the columns nobody knows."""

    positions: dict[str, int]
    unknown: list[str]
    width: int


def column_name(cell: SheetCell) -> str:
    """A header cell as a column name: case-insensitive, surrounding whitespace stripped."""
    if cell is None or isinstance(cell, Unreadable):
        return ""
    return str(cell).strip().lower()


def layout(
    sheet: Sheet, kind: Kind, problems: list[Problem], *, ignore_columns: bool = False
) -> Layout | None:
    """Map the header to the kind's columns; None when a column is missing or unknown.

    An unknown column is refused (a typo such as `left_onn` would silently drop a
    column of data) unless `ignore_columns`, when it is only reported.
    """
    known = [c.name for c in kind.columns]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(sheet.header):
        name = column_name(cell)
        if not name:
            continue
        if name in positions or name in unknown:
            problems.append(Problem(sheet.name, "column appears twice", HEADER_ROW, name))
        elif name in known:
            positions[name] = index
        else:
            unknown.append(name)
    missing = [c.name for c in kind.columns if c.required and c.name not in positions]
    for name in missing:
        problems.append(Problem(sheet.name, "missing required column", HEADER_ROW, name))
    if not ignore_columns:
        for name in unknown:
            problems.append(Problem(sheet.name, unknown_column(name, known), HEADER_ROW, name))
    if missing or (unknown and not ignore_columns):
        return None
    return Layout(positions, unknown, len(sheet.header))


def unknown_column(name: str, known: list[str]) -> str:
    """Why a column is refused, with the known columns its name is closest to."""
    close = get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        return f"unknown column (did you mean {' or '.join(close)}?)"
    return f"unknown column (the columns are: {', '.join(known)}; --ignore-columns skips it)"


def parse_rows(sheet: Sheet, kind: Kind, where: Layout, problems: list[Problem]) -> Iterator[Row]:
    """Every non-empty data row, parsed as it arrives; cells that do not parse become errors.

    Rows with a bad cell are kept (marked `failed`) so that their ids are still
    checked against the database: one pass reports everything wrong with a row.
    A file without a single data row is an error: an import that does nothing is a
    mistake (the wrong file, or a save that lost its rows).
    """
    seen_data = False
    for number, cells in sheet.rows:
        if isinstance(cells, BadRow):
            problems.append(Problem(sheet.name, cells.reason, number, cells.column))
            seen_data = True
            continue
        if all(isinstance(c, str | None) and is_blank(c) for c in cells):
            continue
        seen_data = True
        beyond = _beyond_header(cells, where.width)
        if beyond is not None:
            problems.append(Problem(sheet.name, beyond, number))
            continue
        yield _parsed(sheet.name, kind, where, number, cells, problems)
    if not seen_data:
        problems.append(Problem(sheet.name, "no data rows below the header", HEADER_ROW + 1))


def _parsed(
    file: str,
    kind: Kind,
    where: Layout,
    number: int,
    cells: Sequence[SheetCell],
    problems: list[Problem],
) -> Row:
    row = Row(number, {})
    for column in kind.columns:
        index = where.positions.get(column.name)
        if index is None:
            continue
        raw = cells[index] if index < len(cells) else None
        try:
            row.values[column.name] = _parse(column, raw)
        except CellError as exc:
            problems.append(Problem(file, str(exc), number, column.name))
            row.failed.add(column.name)
    return row


def _beyond_header(cells: Sequence[SheetCell], width: int) -> str | None:
    """A value in a column without a header (an XLSX row wider than its header)."""
    for index in range(width, len(cells)):
        cell = cells[index]
        if isinstance(cell, Unreadable):
            return f"a value in column {index + 1}, which has no header ({cell.reason})"
        if not is_blank(cell):
            return f"a value in column {index + 1}, which has no header: {shown(cell)}"
    return None


def _parse(column: Column, raw: SheetCell) -> Any:
    if isinstance(raw, Unreadable):
        raise CellError(raw.reason)
    value = column.parse(raw)
    if value is None and column.required:
        raise CellError("required value is empty")
    return value
