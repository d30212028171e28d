"""Rows of a sheet checked against a kind: header columns found, each cell parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readiness.importing.cells import CellError, is_blank
from readiness.importing.kinds import Column, Kind
from readiness.importing.report import Problem
from readiness.importing.sheet import Sheet, SheetCell, Unreadable

HEADER_ROW = 1


@dataclass
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


def column_name(cell: SheetCell) -> str:
    """A header cell as a column name: case-insensitive, surrounding whitespace stripped."""
    if cell is None or isinstance(cell, Unreadable):
        return ""
    return str(cell).strip().lower()


def layout(sheet: Sheet, kind: Kind, problems: list[Problem]) -> Layout | None:
    """Map the header to the kind's columns; None when a required column is missing."""
    known = {c.name for c in kind.columns}
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
    return None if missing else Layout(positions, unknown)


def parse_rows(sheet: Sheet, kind: Kind, where: Layout, problems: list[Problem]) -> list[Row]:
    """Every non-empty data row; cells that do not parse become errors.

    Rows with a bad cell are kept (marked `failed`) so that their ids are still
    checked against the database: one pass reports everything wrong with a row.
    """
    rows = []
    for number, cells in sheet.rows:
        if all(isinstance(c, str | None) and is_blank(c) for c in cells):
            continue
        row = Row(number, {})
        for column in kind.columns:
            index = where.positions.get(column.name)
            if index is None:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                row.values[column.name] = _parse(column, raw)
            except CellError as exc:
                problems.append(Problem(sheet.name, str(exc), number, column.name))
                row.failed.add(column.name)
        rows.append(row)
    return rows


def _parse(column: Column, raw: SheetCell) -> Any:
    if isinstance(raw, Unreadable):
        raise CellError(raw.reason)
    value = column.parse(raw)
    if value is None and column.required:
        raise CellError("required value is empty")
    return value
