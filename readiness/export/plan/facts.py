"""What a site's emergency action plan says, read from the database: numbers, places, roles,
and today's readiness per scenario."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness import clock
from readiness.errors import UserError
from readiness.models import STAFF_ROLES, EmergencyRole, Site, Staff
from readiness.models.site_contact import EVERY_SCENARIO
from readiness.policy.pack import Policy
from readiness.policy.templates import Template
from readiness.services.site_contacts import plan_history

# Fields of SiteContacts the plan prints, with the words of its "No ... on file" line.
CONTACT_FIELDS: dict[str, str] = {
    "emergency_number": "emergency number",
    "poison_control": "poison control number",
    "ed_name": "emergency department",
    "ed_address": "emergency department address",
    "ed_phone": "emergency department phone",
    "drive_minutes": "drive time",
    "route_notes": "route",
    "transfer_hospital": "transfer hospital",
    "medical_director_phone": "medical director phone",
    "lso_phone": "laser safety officer phone",
    "after_hours_phone": "after-hours number",
    "aed_location": "AED location",
    "kit_location": "emergency kit location",
    "oxygen_location": "oxygen location",
    "extinguisher_location": "fire extinguisher location",
}

# Staff roles as a clinic writes them.
ROLE_WORDS = {"rn": "RN", "np": "NP", "pa": "PA"}


# What each duty is, as the plan's "Who does what" reads it.
DUTY_WORDS = {
    "lead": "Leads",
    "call_911": "Calls 911",
    "aed": "Brings the AED",
    "epinephrine": "Brings epinephrine",
    "record_times": "Records times",
}
# The same inside a sentence: "No one named who brings the AED".
DUTY_PHRASES = {duty: words[:1].lower() + words[1:] for duty, words in DUTY_WORDS.items()}


@dataclass(frozen=True)
class Readiness:
    """One scenario's readiness at the site on the plan's date."""

    scenario: str
    title: str
    ready: bool
    blocking: list[dict[str, str]]


@dataclass(frozen=True)
class Assignee:
    """Who does a duty, as printed; `known` is False for a staff id not on file."""

    text: str
    known: bool = True


@dataclass
class SiteFacts:
    """Everything one site's plan or handout prints, with None where nothing is on file."""

    code: str
    name: str
    address: str | None
    phone: str | None
    on: date
    contacts: dict[str, str | None]
    # (scenario or EVERY_SCENARIO, duty) -> who, as printed.
    roles: dict[tuple[str, str], Assignee] = field(default_factory=dict)
    readiness: list[Readiness] = field(default_factory=list)

    def role(self, scenario: str, duty: str) -> Assignee | None:
        """Who does the duty in the scenario: its own row, else the every-scenario row."""
        own = self.roles.get((scenario, duty))
        return own if own is not None else self.roles.get((EVERY_SCENARIO, duty))


def site_facts(session: Session, code: str, *, as_of: date | None = None) -> SiteFacts:
    """A site's contacts and roles in force on `as_of` (default: the site's today; no
    readiness); UserError for an unknown code."""
    site = session.scalar(select(Site).where(Site.code == code))
    if site is None:
        raise UserError(f"unknown site code {code!r}")
    on = as_of or site_today(site.timezone, clock.utc_now())
    history = plan_history(session, site)
    stored = history.contacts_on(on)
    contacts = {name: _text(getattr(stored, name, None)) for name in CONTACT_FIELDS}
    # The hospital named on the site itself stands in for a missing ED name.
    contacts["ed_name"] = contacts["ed_name"] or _text(site.nearest_hospital)
    facts = SiteFacts(site.code, site.name, site.address, site.phone, on, contacts)
    facts.roles = _roles(session, list(history.roles_on(on).values()))
    return facts


def plan_facts(
    session: Session,
    code: str,
    policy: Policy,
    *,
    as_of: date | None = None,
    templates: Mapping[str, Template] | None = None,
) -> SiteFacts:
    """A site's plan facts with its readiness per scenario on `as_of` (default: site's today)."""
    from readiness.compliance import compliance_items, scenario_readiness

    facts = site_facts(session, code, as_of=as_of)
    items = compliance_items(
        session, policy, as_of=facts.on, sites=[facts.code], templates=templates
    )
    table = scenario_readiness(items, policy)
    facts.readiness = [
        Readiness(
            str(name),
            policy.scenario(str(name)).title,
            bool(ready),
            plain_blocking(blocking, policy),
        )
        for name, ready, blocking in zip(
            table["scenario"], table["ready"], table["blocking"], strict=True
        )
    ]
    return facts


def site_today(zone: str, now_utc: datetime) -> date:
    """The site-local date at `now_utc`."""
    return now_utc.astimezone(ZoneInfo(zone)).date()


def _roles(session: Session, rows: list[EmergencyRole]) -> dict[tuple[str, str], Assignee]:
    """The site's emergency roles in force, each assignee as printed."""
    ids = [r.assignee for r in rows if r.assignee.lower() not in STAFF_ROLES]
    query = select(Staff.staff_id, Staff.full_name).where(Staff.staff_id.in_(ids))
    names = {staff_id: name for staff_id, name in session.execute(query)}
    return {(r.scenario, r.duty): _who(r.assignee, names) for r in rows}


def _who(assignee: str, names: Mapping[str, str]) -> Assignee:
    """A role as "the RN on duty", a staff id as "Ann Lee (S-104)"."""
    role = assignee.lower()
    if role in STAFF_ROLES:
        return Assignee(f"the {ROLE_WORDS.get(role, role.replace('_', ' '))} on duty")
    name = names.get(assignee)
    if name is None:
        return Assignee(f"No staff member {assignee} on file", known=False)
    return Assignee(f"{name} ({assignee})")


def _text(value: object) -> str | None:
    """A stored value as text; None or blank stays None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def plain_blocking(blocking: list[dict[str, str]], policy: Policy) -> list[dict[str, str]]:
    """Blocking items as a wall reads them: the requirement's title, the status in words."""
    return [
        {
            **item,
            "requirement": policy.requirements[item["requirement"]].title
            if item["requirement"] in policy.requirements
            else item["requirement"],
            "status": item["status"].replace("_", " "),
        }
        for item in blocking
    ]
