"""Per-site record counts for the overview page and the command line."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.models import (
    Asset,
    Certification,
    ChecklistRun,
    Drill,
    Incident,
    Site,
    Staff,
    StockLot,
)

# (column title, model, whether only current evidence counts)
COUNTED = (
    ("staff", Staff, False),
    ("assets", Asset, False),
    ("stock lots", StockLot, False),
    ("drills", Drill, True),
    ("checklist runs", ChecklistRun, True),
    ("incidents", Incident, True),
)


def site_counts(session: Session) -> pd.DataFrame:
    """One row per site: code, name, time zone and how many records of each kind it has."""
    sites = session.execute(
        select(Site.id, Site.code, Site.name, Site.timezone).order_by(Site.code)
    ).all()
    frame = pd.DataFrame(sites, columns=["id", "code", "name", "timezone"])
    for title, model, current_only in COUNTED:
        stmt = select(model.site_id, func.count()).group_by(model.site_id)
        if current_only:
            stmt = stmt.where(model.record_state == "current")  # type: ignore[union-attr]
        counts = {row[0]: row[1] for row in session.execute(stmt)}
        frame[title] = frame["id"].map(counts).fillna(0).astype(int)
    certs = session.execute(
        select(Staff.site_id, func.count())
        .join(Certification, Certification.staff_pk == Staff.id)
        .where(Certification.record_state == "current")
        .group_by(Staff.site_id)
    )
    frame["certifications"] = (
        frame["id"].map({row[0]: row[1] for row in certs}).fillna(0).astype(int)
    )
    return frame.drop(columns=["id"])
