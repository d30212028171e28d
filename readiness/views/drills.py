"""Drills: the log, coverage per site and scenario, and staff without a drill for a year."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.models import Drill, DrillParticipant, Site, Staff

LOG_COLUMNS = [
    "site",
    "scenario",
    "held_at",
    "outcome",
    "participants",
    "time_to_aed_s",
    "time_to_epinephrine_s",
    "time_to_oxygen_s",
    "debrief",
]
NO_DRILL_DAYS = 365


def drill_log(session: Session, sites: list[str], limit: int = 500) -> pd.DataFrame:
    """The latest current drills of the sites, newest first, with their participant count."""
    count = (
        select(DrillParticipant.drill_id, func.count().label("n"))
        .group_by(DrillParticipant.drill_id)
        .subquery()
    )
    query = (
        select(
            Site.code,
            Drill.scenario,
            Drill.held_at,
            Drill.outcome,
            func.coalesce(count.c.n, 0),
            Drill.time_to_aed_s,
            Drill.time_to_epinephrine_s,
            Drill.time_to_oxygen_s,
            Drill.debrief,
        )
        .join(Site, Site.id == Drill.site_id)
        .outerjoin(count, count.c.drill_id == Drill.id)
        .where(Site.code.in_(sites), Drill.record_state == "current")
        .order_by(Drill.held_at.desc())
        .limit(limit)
    )
    return pd.DataFrame(session.execute(query).all(), columns=LOG_COLUMNS)


def coverage(items: pd.DataFrame) -> pd.DataFrame:
    """Sites × drill requirement: status and the last drill's date."""
    drills = items[items["category"] == "drill"]
    if drills.empty:
        return pd.DataFrame()
    last = pd.to_datetime(drills["last_done_on"]).dt.strftime("%Y-%m-%d").fillna("never")
    cells = drills.assign(cell=drills["status"] + " · " + last)
    return cells.pivot_table(
        index="site", columns="requirement", values="cell", aggfunc="first"
    ).reset_index()


def staff_without_drills(
    session: Session, sites: list[str], today: date, days: int = NO_DRILL_DAYS
) -> pd.DataFrame:
    """Active staff of the sites who took part in no current drill in the last `days` days."""
    since = datetime.combine(today - timedelta(days=days), time(0), tzinfo=UTC)
    last = (
        select(DrillParticipant.staff_pk, func.max(Drill.held_at).label("last"))
        .join(Drill, Drill.id == DrillParticipant.drill_id)
        .where(Drill.record_state == "current")
        .group_by(DrillParticipant.staff_pk)
        .subquery()
    )
    query = (
        select(Site.code, Staff.staff_id, Staff.full_name, Staff.role, last.c.last)
        .join(Site, Site.id == Staff.site_id)
        .outerjoin(last, last.c.staff_pk == Staff.id)
        .where(Site.code.in_(sites), Staff.active)
        .order_by(Site.code, Staff.staff_id)
    )
    frame = pd.DataFrame(
        session.execute(query).all(),
        columns=["site", "staff_id", "full_name", "role", "last_drill"],
    )
    last_drill = pd.to_datetime(frame["last_drill"], utc=True)
    stale = last_drill.isna() | (last_drill < pd.Timestamp(since))
    out = frame[stale.to_numpy(dtype=bool)].copy()
    out["last_drill"] = (
        last_drill[stale].dt.date.astype(object).where(last_drill[stale].notna(), "never")
    )
    return out.reset_index(drop=True)


def site_staff(session: Session, site: str) -> dict[str, str]:
    """Staff id -> "Name (role)" of a site's active staff, for pickers."""
    query = (
        select(Staff.staff_id, Staff.full_name, Staff.role)
        .join(Site, Site.id == Staff.site_id)
        .where(Site.code == site, Staff.active)
        .order_by(Staff.full_name)
    )
    return {sid: f"{name} ({role})" for sid, name, role in session.execute(query)}
