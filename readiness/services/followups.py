"""Mark an incident's scheduled follow-up done: its reminders stop (the reminder facts
read only follow-ups without `done_on`)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import Incident, IncidentFollowup, Site
from readiness.rules.identifiers import check_free_text


def complete_followup(
    session: Session, by: Principal, *, followup_id: int, done_on: date, note: str, today: date
) -> IncidentFollowup:
    """Record that a follow-up was done on `done_on`, with what was found (no identifiers)."""
    followup = session.get(IncidentFollowup, followup_id)
    incident = session.get(Incident, followup.incident_id) if followup else None
    if followup is None or incident is None or incident.record_state != "current":
        raise UserError("that follow-up is no longer on file; reload and try again")
    site = session.get(Site, incident.site_id)
    assert site is not None  # a foreign key guarantees it
    require(by, "complete_followups", site.code)
    if followup.done_on is not None:
        raise records.stale(
            session, followup, f"the follow-up of {incident.case_ref} is already done"
        )
    if done_on > today:
        raise UserError(f"the follow-up date {done_on} is in the future")
    occurred = incident.occurred_at.astimezone(ZoneInfo(site.timezone)).date()
    if done_on < occurred:
        raise UserError(f"the follow-up date {done_on} is before the incident ({occurred})")
    if not note.strip():
        raise UserError("say what the follow-up found (e.g. 'healed, no scarring')")
    check_free_text({"the note": note}, today)
    changes = {"done_on": done_on, "note": note.strip()}
    records.update(session, followup, changes, actor=by.actor, reason="follow-up done")
    return followup
