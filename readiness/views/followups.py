"""Incident follow-ups still to do, for the form that marks one done."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Incident, IncidentFollowup, Site


def open_followups(session: Session, sites: list[str]) -> dict[int, str]:
    """Follow-up id -> "C-2026-0001 at AUS1 · due 2026-03-12", soonest first."""
    query = (
        select(IncidentFollowup.id, Incident.case_ref, Site.code, IncidentFollowup.due_on)
        .join(Incident, Incident.id == IncidentFollowup.incident_id)
        .join(Site, Site.id == Incident.site_id)
        .where(
            Site.code.in_(sites),
            Incident.record_state == "current",
            IncidentFollowup.done_on.is_(None),
        )
        .order_by(IncidentFollowup.due_on, IncidentFollowup.id)
    )
    return {
        int(pk): f"{ref} at {code} · due {due:%Y-%m-%d}"
        for pk, ref, code, due in session.execute(query)
    }
