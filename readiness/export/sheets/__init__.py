"""The data sheets of the inspector workbook, in workbook order."""

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


def builders() -> list[Builder]:
    """Every data sheet's builder, in workbook order."""
    from readiness.export.sheets import (
        actions,
        answers,
        certifications,
        checklists,
        drills,
        equipment,
        incidents,
        stock,
        summary,
        trail,
    )

    return [
        summary.summary,
        equipment.register,
        equipment.service_log,
        stock.stock,
        certifications.matrix,
        certifications.records,
        drills.drills,
        checklists.log,
        answers.items,
        incidents.incidents,
        actions.corrective_actions,
        trail.audit_trail,
    ]
