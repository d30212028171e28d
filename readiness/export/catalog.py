"""Every data sheet of the workbook, in the order an inspector reads them."""

from __future__ import annotations

from readiness.export.sheets import (
    Builder,
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

BUILDERS: tuple[Builder, ...] = (
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
)
