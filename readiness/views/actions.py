"""Corrective actions with their owners and due dates."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.models import CorrectiveAction, Site, Staff

COLUMNS = [
    "id",
    "site",
    "source",
    "requirement",
    "subject",
    "description",
    "severity",
    "owner",
    "due_on",
    "status",
    "closed_by",
    "resolution",
]


def corrective_actions(
    session: Session, sites: list[str], *, open_only: bool = True, limit: int = 2000
) -> pd.DataFrame:
    """Actions of the sites, soonest due first (open ones), or latest first (all)."""
    query = (
        select(
            CorrectiveAction.id,
            Site.code,
            CorrectiveAction.source,
            CorrectiveAction.requirement,
            CorrectiveAction.subject,
            CorrectiveAction.description,
            CorrectiveAction.severity,
            Staff.full_name,
            CorrectiveAction.due_on,
            CorrectiveAction.status,
            CorrectiveAction.closed_by,
            CorrectiveAction.resolution,
        )
        .join(Site, Site.id == CorrectiveAction.site_id)
        .outerjoin(Staff, Staff.id == CorrectiveAction.owner_pk)
        .where(Site.code.in_(sites))
    )
    if open_only:
        query = query.where(CorrectiveAction.status == "open").order_by(
            CorrectiveAction.due_on, CorrectiveAction.id
        )
    else:
        query = query.order_by(CorrectiveAction.id.desc())
    return pd.DataFrame(session.execute(query.limit(limit)).all(), columns=COLUMNS)


def open_count(session: Session, sites: list[str] | None) -> int:
    """How many corrective actions are open at the sites (every site: None)."""
    query = (
        select(func.count()).select_from(CorrectiveAction).where(CorrectiveAction.status == "open")
    )
    if sites is not None:
        query = query.join(Site, Site.id == CorrectiveAction.site_id).where(Site.code.in_(sites))
    return session.scalar(query) or 0


def overdue(actions: pd.DataFrame, today: date) -> pd.Series:
    """True for open actions past their due date."""
    return (actions["status"] == "open") & (pd.to_datetime(actions["due_on"]) < pd.Timestamp(today))
