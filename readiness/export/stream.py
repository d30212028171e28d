"""Stream a sheet's rows into parts of at most Excel's row limit, hashing each part.

The same streaming serves the writer (which also puts the rows in a worksheet) and
`verify` (which only hashes), so both cut the parts and hash them identically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from readiness.export.cells import CellValue, Toned, clean_row, line_of
from readiness.export.layout import SheetSpec, part_name

# Rows per worksheet, the header included.
EXCEL_MAX_ROWS: Final = 1_048_576
PROGRESS_EVERY: Final = 100_000

Row = Sequence[CellValue | Toned]
Progress = Callable[[str, int, bool], None]


@dataclass(frozen=True)
class SheetDigest:
    """One worksheet as the manifest lists it: name, rows (header included), SHA-256."""

    name: str
    rows: int
    sha256: str


class PartSink(Protocol):
    """Where the rows of one worksheet go."""

    def open_part(self, spec: SheetSpec, name: str) -> None: ...

    def write(self, row: list[CellValue | Toned]) -> None: ...

    def close_part(self, rows: int) -> None: ...


class HashOnly:
    """A sink that keeps nothing: for recomputing hashes."""

    def open_part(self, spec: SheetSpec, name: str) -> None:
        """Nothing to open."""

    def write(self, row: list[CellValue | Toned]) -> None:
        """Nothing to write."""

    def close_part(self, rows: int) -> None:
        """Nothing to close."""


class _Part:
    """The part being filled: its name, hash and row count."""

    def __init__(self, name: str, header: bytes) -> None:
        self.name = name
        self.hash = hashlib.sha256(header)
        self.rows = 1

    def digest(self) -> SheetDigest:
        return SheetDigest(self.name, self.rows, self.hash.hexdigest())


def stream_sheet(
    spec: SheetSpec,
    rows: Iterable[Row],
    sink: PartSink,
    *,
    max_rows: int | None = None,
    progress: Progress | None = None,
) -> list[SheetDigest]:
    """Write the header and rows through the sink, part by part; the digest of each part.

    `max_rows` (header included) defaults to EXCEL_MAX_ROWS, read at call time.
    """
    max_rows = EXCEL_MAX_ROWS if max_rows is None else max_rows
    if max_rows < 2:
        raise ValueError("a part needs room for the header and one row")
    header = line_of(spec.headers)
    width = len(spec.columns)
    done: list[SheetDigest] = []
    part = _open(spec, sink, header, 1)
    written = 0
    for row in rows:
        if part.rows >= max_rows:
            done.append(_close(sink, part))
            part = _open(spec, sink, header, len(done) + 1)
        if len(row) != width:
            raise ValueError(f"{spec.name}: a row of {len(row)} values for {width} columns")
        clean = clean_row(row)
        part.hash.update(line_of(clean))
        sink.write(clean)
        part.rows += 1
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(spec.name, written, False)
    done.append(_close(sink, part))
    if progress is not None:
        progress(spec.name, written, True)
    return done


def _open(spec: SheetSpec, sink: PartSink, header: bytes, number: int) -> _Part:
    """Start part `number` (its header row is written by the sink)."""
    part = _Part(part_name(spec.name, number), header)
    sink.open_part(spec, part.name)
    return part


def _close(sink: PartSink, part: _Part) -> SheetDigest:
    sink.close_part(part.rows)
    return part.digest()
