"""What a sheet looks like: its name, its columns, and how each column is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

ColumnKind = Literal["text", "number", "date", "datetime", "status"]

# Excel refuses these in sheet names, and names longer than 31 characters.
_BAD_NAME: Final = re.compile(r"[\[\]:*?/\\]")
MAX_NAME: Final = 31
# Room left for a part suffix such as " (2)".
MAX_BASE_NAME: Final = MAX_NAME - 4


@dataclass(frozen=True)
class Column:
    """One column: its header, how its cells are shown, and its width in characters."""

    header: str
    kind: ColumnKind = "text"
    width: float = 14.0


@dataclass(frozen=True)
class SheetSpec:
    """A sheet's name and columns."""

    name: str
    columns: tuple[Column, ...]

    def __post_init__(self) -> None:
        check_sheet_name(self.name, base=True)

    @property
    def headers(self) -> list[str]:
        """The header row."""
        return [column.header for column in self.columns]


def check_sheet_name(name: str, *, base: bool = False) -> str:
    """The name, or ValueError when Excel would refuse it (or a part suffix would not fit)."""
    limit = MAX_BASE_NAME if base else MAX_NAME
    if not name or len(name) > limit or _BAD_NAME.search(name) or name.startswith("'"):
        raise ValueError(f"invalid sheet name {name!r}")
    return name


# Characters of ordinary text per character of column width (a width counts the digit
# "0", wider than the average letter); kept low so a row is never too short.
CHARS_PER_WIDTH: Final = 1.05


def lines_needed(text_: str, width: float) -> int:
    """How many printed lines `text_` wraps to in a column `width` characters wide."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, -(-len(part) // per_line)) for part in text_.split("\n"))


def part_name(base: str, number: int) -> str:
    """The name of part `number` (from 1) of a sheet split past Excel's row limit."""
    return base if number == 1 else check_sheet_name(f"{base} ({number})")


def base_name(name: str) -> str:
    """The sheet a part belongs to: "Checklist items (2)" -> "Checklist items"."""
    match = re.fullmatch(r"(.*) \((\d+)\)", name)
    return match.group(1) if match else name


def text(header: str, width: float = 14.0) -> Column:
    """A text column."""
    return Column(header, "text", width)


def number(header: str, width: float = 10.0) -> Column:
    """A numeric column."""
    return Column(header, "number", width)


def day(header: str, width: float = 12.0) -> Column:
    """A date column (shown yyyy-mm-dd)."""
    return Column(header, "date", width)


def instant(header: str, width: float = 17.0) -> Column:
    """A date-time column (shown yyyy-mm-dd hh:mm)."""
    return Column(header, "datetime", width)


def status(header: str, width: float = 12.0) -> Column:
    """A status column, coloured by its value (red, amber, green)."""
    return Column(header, "status", width)
