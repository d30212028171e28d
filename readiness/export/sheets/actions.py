"""Corrective actions open at some time in the period: what failed, who owned it, the fix."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import Row as SqlRow
from sqlalchemy import or_, select

from readiness.compliance.history.period import SiteInfo
from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, day, number, status, text
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import SITE, ZONE, moment, moment_values
from readiness.export.stream import Row
from readiness.models import CorrectiveAction

ACTIONS = SheetSpec(
    "Corrective actions",
    (
        number("Action ID", 8),
        SITE,
        ZONE,
        *moment("Opened at"),
        text("Opened by", 18),
        text("Source", 10),
        number("Source record", 9),
        text("Requirement", 20),
        text("Subject", 10),
        text("Description", 40),
        status("Severity", 9),
        text("Owner", 20),
        day("Due on"),
        status("Status at period end", 12),
        *moment("Closed at"),
        text("Closed by (printed name)", 20),
        text("Meaning", 10),
        text("Resolution", 40),
        status("Status at export", 9),
    ),
)


def corrective_actions(ctx: ExportContext) -> SheetData:
    """Actions opened before the period ended and not closed before it began."""
    return SheetData(ACTIONS, _rows(ctx))


def _rows(ctx: ExportContext) -> Iterator[Row]:
    for site in ctx.sites:
        query = (
            select(CorrectiveAction.__table__)
            .where(
                CorrectiveAction.site_id == site.pk,
                CorrectiveAction.opened_at < site.end_utc,
                or_(
                    CorrectiveAction.closed_at.is_(None),
                    CorrectiveAction.closed_at >= site.start_utc,
                ),
            )
            .order_by(CorrectiveAction.opened_at, CorrectiveAction.id)
        )
        for action in ctx.session.execute(query):
            state = _state_at_end(action, site, ctx.request.end)
            ctx.tally[f"corrective actions {state} at period end"] += 1
            closed = action.closed_at is not None
            yield (
                action.id,
                site.code,
                site.tz,
                *moment_values(action.opened_at, site),
                action.opened_by,
                action.source,
                action.source_id,
                action.requirement,
                action.subject,
                action.description,
                action.severity,
                ctx.person(action.owner_pk),
                action.due_on,
                state,
                *moment_values(action.closed_at, site),
                action.closed_by,
                "resolved" if closed else None,
                action.resolution,
                action.status,
            )


def _state_at_end(action: SqlRow, site: SiteInfo, end: date) -> str:
    """closed, open, or overdue (open past its due date) when the period ended."""
    if action.closed_at is not None and action.closed_at < site.end_utc:
        return "closed"
    return "overdue" if action.due_on < end else "open"
