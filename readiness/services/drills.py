"""Log an emergency drill with its participants, timings, debrief and corrective actions.

A drill recorded as failed, or slower than a policy target (time to the AED, to
epinephrine), fails its requirement. Its corrective actions name that requirement,
so the drill stays `failed` for the site until they are closed; when none is given,
one is opened (repeat the drill), as a failed checklist item opens one. Actions of
a passing drill are improvements and block nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.checklist.lookup import site_by_code
from readiness.compliance import drills
from readiness.compliance.detail import words
from readiness.errors import UserError
from readiness.models import CorrectiveAction, Drill, DrillParticipant, Site, Staff
from readiness.models.base import utc
from readiness.policy.pack import Policy
from readiness.policy.requirements import DrillRequirement
from readiness.rules.identifiers import check_free_text
from readiness.services.clocktime import site_instant

OUTCOMES = ("pass", "fail")
SEVERITIES = ("critical", "major", "minor")
CURRENT = "current"
# Longest believable time to fetch the AED or give epinephrine in a drill.
MAX_SECONDS = 3600
# A failed drill's follow-up: put right what went wrong and drill again within a month.
REDRILL_DAYS = 30
# Drills about laser safety, whose follow-up the Laser Safety Officer owns.
LASER_SCENARIOS = frozenset({"laser_burn", "laser_eye_exposure"})


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
    policy: Policy,
) -> tuple[Drill, list[CorrectiveAction]]:
    """Record the drill and open its actions; a naive `held_at` is the site's wall-clock time."""
    site = site_by_code(session, site_code)
    require(by, "log_drill", site.code)
    known = drill_scenarios(policy)
    if scenario not in known:
        raise UserError(f"scenario must be one of {', '.join(known)}, not {scenario!r}")
    if outcome not in OUTCOMES:
        raise UserError("outcome must be pass or fail")
    texts = {"the debrief": debrief}
    texts |= {f"corrective action {n}": plan.description for n, plan in enumerate(actions or (), 1)}
    check_free_text(texts, now_utc.date())
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
    requirement = _requirement(policy, scenario)
    failing = not passes(requirement, drill)
    plans = actions or (_follow_up(session, site, drill, requirement) if failing else [])
    blocks = requirement.id if failing else None
    opened = [
        _open_action(session, by.actor, drill, plan, blocks, site_code, now_utc) for plan in plans
    ]
    return drill, opened


def follow_up_failed_drills(
    session: Session, written: list[Drill], *, actor: str, now_utc: datetime, policy: Policy
) -> list[CorrectiveAction]:
    """Open the repeat-drill action of each failing drill written without one (imports).

    Idempotent: a drill whose (site, scenario, time) already has a drill action, in any
    of its versions, gets none, so importing a file again opens nothing new.
    """
    opened = []
    known = drill_scenarios(policy)
    for drill in written:
        if drill.scenario not in known:
            continue
        requirement = _requirement(policy, drill.scenario)
        if passes(requirement, drill) or _has_action(session, drill):
            continue
        site = session.get_one(Site, drill.site_id)
        for plan in _follow_up(session, site, drill, requirement):
            opened.append(
                _open_action(session, actor, drill, plan, requirement.id, site.code, now_utc)
            )
    return opened


def passes(requirement: DrillRequirement, drill: Drill) -> bool:
    """Whether the drill satisfies its requirement: passed, and within the policy's targets."""
    return drills.passes(requirement, drill.outcome, drills.timings(requirement, drill))


def _requirement(policy: Policy, scenario: str) -> DrillRequirement:
    requirement = policy.requirements[drill_scenarios(policy)[scenario]]
    assert isinstance(requirement, DrillRequirement)
    return requirement


def _follow_up(
    session: Session, site: Site, drill: Drill, requirement: DrillRequirement
) -> list[ActionPlan]:
    """The one action a failing drill opens: repeat it within REDRILL_DAYS; none when a
    passing drill of the scenario has been held since."""
    later = select(Drill).where(
        Drill.site_id == drill.site_id,
        Drill.scenario == drill.scenario,
        Drill.record_state == CURRENT,
        Drill.held_at > drill.held_at,
    )
    if any(passes(requirement, other) for other in session.scalars(later)):
        return []
    missed = drills.missed_targets(requirement, drills.timings(requirement, drill))
    what = "it was recorded as failed" if drill.outcome != "pass" else missed
    if drill.outcome != "pass" and missed:
        what += f"; {missed}"
    held_on = _local_day(drill.held_at, site.timezone)
    owner = _owner(session, site, drill)
    return [
        ActionPlan(
            description=(
                f"Put right what went wrong in the {words(drill.scenario)} drill of"
                f" {held_on:%Y-%m-%d} ({what}) and repeat the drill"
            ),
            due_on=held_on + timedelta(days=REDRILL_DAYS),
            owner_staff_id=owner.staff_id if owner else None,
        )
    ]


def _owner(session: Session, site: Site, drill: Drill) -> Staff | None:
    """The LSO (laser drills) or medical director of the site, else the first participant."""
    people = list(
        session.scalars(
            select(Staff).where(Staff.site_id == site.id, Staff.active).order_by(Staff.staff_id)
        )
    )
    lso = next((p for p in people if p.is_lso), None)
    director = next((p for p in people if p.role == "medical_director"), None)
    first, second = (lso, director) if drill.scenario in LASER_SCENARIOS else (director, lso)
    if first or second:
        return first or second
    participants = [p.staff_pk for p in drill.participants]
    return session.get(Staff, participants[0]) if participants else None


def _has_action(session: Session, drill: Drill) -> bool:
    """Whether some version of the drill (same site, scenario and time) has a drill action."""
    versions = select(Drill.id).where(
        Drill.site_id == drill.site_id,
        Drill.scenario == drill.scenario,
        Drill.held_at == drill.held_at,
    )
    query = select(CorrectiveAction.id).where(
        CorrectiveAction.source == "drill", CorrectiveAction.source_id.in_(versions)
    )
    return session.scalar(query.limit(1)) is not None


def _local_day(instant: datetime, timezone: str) -> date:
    return utc(instant).astimezone(ZoneInfo(timezone)).date()


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
    actor: str,
    drill: Drill,
    plan: ActionPlan,
    requirement: str | None,
    site_code: str,
    now_utc: datetime,
) -> CorrectiveAction:
    """One corrective action of the drill (source "drill"); `requirement`: the one it fails."""
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
        opened_by=actor,
        status="open",
    )
    return records.create(session, action, actor=actor)
