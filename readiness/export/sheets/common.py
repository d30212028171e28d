"""Columns and values shared by the sheets of evidence records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from readiness.compliance.history.period import SiteInfo
from readiness.export.cells import CellValue
from readiness.export.layout import Column, instant, number, status, text
from readiness.rules.wall_time import local, utc

SITE = text("Site", 8)
ZONE = text("Time zone", 17)

# Where a record came from and what became of it: corrections stay visible.
RECORD_COLUMNS: tuple[Column, ...] = (
    status("Record state", 12),
    number("Supersedes record", 11),
    text("Void reason", 24),
    text("Recorded by", 16),
    instant("Recorded at (site time)"),
    instant("Recorded at (UTC)"),
    number("Record ID", 9),
)


def record_values(row: Any, site: SiteInfo) -> tuple[CellValue, ...]:
    """The RECORD_COLUMNS of an evidence row (record_state, supersedes_id, ...)."""
    return (
        row.record_state,
        row.supersedes_id,
        row.void_reason,
        row.recorded_by,
        local(row.recorded_at, site.tz),
        utc(row.recorded_at),
        row.id,
    )


def moment(header: str) -> tuple[Column, Column]:
    """A pair of columns for an instant: site time and UTC."""
    return instant(f"{header} (site time)"), instant(f"{header} (UTC)")


def moment_values(value: datetime | None, site: SiteInfo) -> tuple[CellValue, CellValue]:
    """An instant as the pair of columns `moment` makes."""
    return local(value, site.tz), utc(value)
