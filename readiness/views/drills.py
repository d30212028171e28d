"""Drills: the log, coverage per site and scenario, and staff absent from a whole drill cycle."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.models import Drill, DrillParticipant, Site, Staff
from readiness.models.base import utc
from readiness.policy.pack import Policy
from readiness.policy.requirements import DrillRequirement, Interval

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
# Any fixed day serves to compare intervals by length (months and days mixed).
CYCLE_PROBE = date(2001, 1, 1)


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


def drill_cycle(policy: Policy) -> Interval | None:
    """The longest drill interval of the policy: someone absent that long missed a whole cycle."""
    intervals = [r.interval for r in policy.of_kind(DrillRequirement)]
    if not intervals:
        return None
    return max(intervals, key=lambda interval: interval.next_due(CYCLE_PROBE))


def staff_without_drills(
    session: Session, todays: Mapping[str, date], policy: Policy
) -> pd.DataFrame:
    """Active staff of the sites who took part in no current drill during the policy's cycle.

    A drill counts on its site-local day, and the cycle ends on each site's own today.
    """
    cycle = drill_cycle(policy)
    last = (
        select(DrillParticipant.staff_pk, func.max(Drill.held_at).label("last"))
        .join(Drill, Drill.id == DrillParticipant.drill_id)
        .where(Drill.record_state == "current")
        .group_by(DrillParticipant.staff_pk)
        .subquery()
    )
    query = (
        select(Site.code, Site.timezone, Staff.staff_id, Staff.full_name, Staff.role, last.c.last)
        .join(Site, Site.id == Staff.site_id)
        .outerjoin(last, last.c.staff_pk == Staff.id)
        .where(Site.code.in_(list(todays)), Staff.active)
        .order_by(Site.code, Staff.staff_id)
    )
    rows = []
    for code, zone, staff_id, name, role, held_at in session.execute(query).all():
        day = None if held_at is None else utc(held_at).astimezone(ZoneInfo(zone)).date()
        if cycle is not None and day is not None and cycle.next_due(day) > todays[code]:
            continue
        rows.append((code, staff_id, name, role, "never" if day is None else day))
    return pd.DataFrame(rows, columns=["site", "staff_id", "full_name", "role", "last_drill"])


def site_staff(session: Session, site: str) -> dict[str, str]:
    """Staff id -> "Name (role)" of a site's active staff, for pickers."""
    query = (
        select(Staff.staff_id, Staff.full_name, Staff.role)
        .join(Site, Site.id == Staff.site_id)
        .where(Site.code == site, Staff.active)
        .order_by(Staff.full_name)
    )
    return {sid: f"{name} ({role})" for sid, name, role in session.execute(query)}
