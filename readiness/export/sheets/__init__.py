"""The data sheets of the inspector workbook: one module per sheet or pair of sheets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec
from readiness.export.stream import Row


@dataclass(frozen=True)
class SheetData:
    """A sheet's layout and its rows (a lazy iterator: rows stream from the database)."""

    spec: SheetSpec
    rows: Iterable[Row]


Builder = Callable[[ExportContext], SheetData]
