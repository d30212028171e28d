"""The inspector workbook as a download, behind the signed-in user's permission check."""

from __future__ import annotations

from datetime import date, datetime

from readiness.access import Principal, require
from readiness.db import Database
from readiness.export import ExportRequest, workbook_bytes
from readiness.services.practice import practice_name


def export_bytes(
    db: Database, by: Principal, sites: list[str], start: date, end: date, now_utc: datetime
) -> bytes:
    """The inspector workbook of sites the user covers, as bytes for a download."""
    require(by, "export")
    for code in sites:
        require(by, "export", code)
    with db.read() as session:
        name = practice_name(session)
    request = ExportRequest(
        sites=tuple(sites),
        start=start,
        end=end,
        generated_by=by.actor,
        generated_at=now_utc,
        practice=name,
    )
    return workbook_bytes(db, request)
