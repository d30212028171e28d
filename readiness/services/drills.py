"""Log an emergency drill with its participants, timings, debrief and corrective actions.

A corrective action of a failed drill names the drill's requirement, so the drill
stays `failed` for the site until the action is closed; actions of a passed drill
are improvements and block nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.checklist.lookup import site_by_code
from readiness.errors import UserError
from readiness.models import CorrectiveAction, Drill, DrillParticipant, Staff
from readiness.models.base import utc
from readiness.policy.current import current_policy
from readiness.policy.pack import DrillRequirement, Policy
from readiness.services.clocktime import site_instant

OUTCOMES = ("pass", "fail")
SEVERITIES = ("critical", "major", "minor")
# Longest believable time to fetch the AED or give epinephrine in a drill.
MAX_SECONDS = 3600


@dataclass(frozen=True)
class ActionPlan:
    """A corrective action to open with a drill: what, by when, who owns it."""

    description: str
    due_on: date
    severity: str = "major"
    owner_staff_id: str | None = None


@dataclass(frozen=True)
class Timings:
    """Seconds from the call to the AED, epinephrine and oxygen arriving (None: not timed)."""

    aed: int | None = None
    epinephrine: int | None = None
    oxygen: int | None = None


def drill_scenarios(policy: Policy) -> dict[str, str]:
    """Scenario name -> requirement id, for every drill the policy asks for."""
    return {r.scenario: r.id for r in policy.of_kind(DrillRequirement)}


def log_drill(
    session: Session,
    by: Principal,
    *,
    site_code: str,
    scenario: str,
    held_at: datetime,
    participants: list[str],
    outcome: str,
    now_utc: datetime,
    timings: Timings = Timings(),
    debrief: str | None = None,
    actions: list[ActionPlan] | None = None,
    policy: Policy | None = None,
) -> tuple[Drill, list[CorrectiveAction]]:
    """Record the drill and open its actions; a naive `held_at` is the site's wall-clock time."""
    site = site_by_code(session, site_code)
    require(by, "log_drill", site.code)
    known = drill_scenarios(policy or current_policy())
    if scenario not in known:
        raise UserError(f"scenario must be one of {', '.join(known)}, not {scenario!r}")
    if outcome not in OUTCOMES:
        raise UserError("outcome must be pass or fail")
    held_at = site_instant(held_at, site.timezone)
    if held_at > utc(now_utc):
        raise UserError("the drill's time is in the future")
    people = _participants(session, participants)
    drill = Drill(
        site_id=site.id,
        scenario=scenario,
        held_at=held_at,
        outcome=outcome,
        time_to_aed_s=_seconds("time to AED", timings.aed),
        time_to_epinephrine_s=_seconds("time to epinephrine", timings.epinephrine),
        time_to_oxygen_s=_seconds("time to oxygen", timings.oxygen),
        debrief=(debrief or "").strip() or None,
        participants=[DrillParticipant(staff_pk=person.id) for person in people],
    )
    records.create(session, drill, actor=by.actor)
    requirement = known[scenario] if outcome == "fail" else None
    opened = [
        _open_action(session, by, drill, plan, requirement, site_code, now_utc)
        for plan in actions or []
    ]
    return drill, opened


def _participants(session: Session, staff_ids: list[str]) -> list[Staff]:
    """The active staff members named, each once; at least one."""
    wanted = list(dict.fromkeys(s.strip() for s in staff_ids if s.strip()))
    if not wanted:
        raise UserError("name at least one participant")
    found = {
        p.staff_id: p for p in session.scalars(select(Staff).where(Staff.staff_id.in_(wanted)))
    }
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise UserError(f"no staff member with id {', '.join(unknown)}")
    inactive = [s for s in wanted if not found[s].active]
    if inactive:
        raise UserError(f"not active: {', '.join(inactive)}")
    return [found[s] for s in wanted]


def _seconds(what: str, value: int | None) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= MAX_SECONDS:
        raise UserError(f"{what}: {value} s is not between 0 and {MAX_SECONDS} s")
    return int(value)


def _open_action(
    session: Session,
    by: Principal,
    drill: Drill,
    plan: ActionPlan,
    requirement: str | None,
    site_code: str,
    now_utc: datetime,
) -> CorrectiveAction:
    """One corrective action of the drill (source "drill")."""
    if not plan.description.strip():
        raise UserError("a corrective action needs a description")
    if plan.severity not in SEVERITIES:
        raise UserError(f"severity must be one of {', '.join(SEVERITIES)}")
    owner = None
    if plan.owner_staff_id:
        owner = session.scalar(select(Staff).where(Staff.staff_id == plan.owner_staff_id))
        if owner is None:
            raise UserError(f"no staff member with id {plan.owner_staff_id!r}")
    action = CorrectiveAction(
        site_id=drill.site_id,
        source="drill",
        source_id=drill.id,
        requirement=requirement,
        subject=site_code,
        description=plan.description.strip(),
        severity=plan.severity,
        owner_pk=owner.id if owner else None,
        due_on=plan.due_on,
        opened_at=utc(now_utc),
        opened_by=by.actor,
        status="open",
    )
    return records.create(session, action, actor=by.actor)
