"""Change a site's emergency contacts and roles from a day on, as a new dated version.

Nothing is overwritten: a change appends a contacts version (the whole set of numbers
and places) and a role row for each duty that changes, each with its reason and who
made it, audited in the caller's transaction. Values the same as those in force on the
day make no new row, so a file imported twice, or a form sent twice, adds nothing.

A change may not be dated before the site's latest one (that would rewrite what the
plan said on days already printed); the same day is allowed and corrects it, the
earlier row staying on record. The dashboard form and both import kinds
(`site_contacts`, `emergency_roles`) come through `change_site_plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.checklist.lookup import site_by_code
from readiness.errors import UserError
from readiness.models import (
    EMERGENCY_DUTIES,
    EMERGENCY_SCENARIOS,
    STAFF_ROLES,
    EmergencyRole,
    Site,
    SiteContacts,
    Staff,
)
from readiness.models.site_contact import CONTACT_VALUES, EVERY_SCENARIO
from readiness.rules.site_plan import in_force, roles_in_force

# (scenario or EVERY_SCENARIO, duty) -> a staff role, a staff id, or "" for no one.
Roles = Mapping[tuple[str, str], str]


@dataclass(frozen=True)
class SitePlanHistory:
    """Every contacts version and role row of a site, oldest first."""

    site: Site
    contacts: list[SiteContacts]
    roles: list[EmergencyRole]

    def contacts_on(self, day: date) -> SiteContacts | None:
        """The contacts version in force on `day` (None: none yet)."""
        return in_force(self.contacts, day)

    def roles_on(self, day: date) -> dict[tuple[str, str], EmergencyRole]:
        """The role rows in force on `day`, duties taken away left out."""
        return roles_in_force(self.roles, day)

    @property
    def latest_day(self) -> date | None:
        """The day of the latest change, contacts or roles."""
        days = [c.effective_from for c in self.contacts] + [r.effective_from for r in self.roles]
        return max(days) if days else None

    @property
    def token(self) -> str:
        """What a form was drawn from: a change since makes its submit stale."""
        last = max((r.id for r in self.contacts), default=0)
        return f"{last}:{max((r.id for r in self.roles), default=0)}"


@dataclass
class PlanChange:
    """What a change wrote: a new contacts version (None: the values were the same) and
    the role rows of duties that changed."""

    site_code: str
    effective_from: date
    contacts: SiteContacts | None = None
    roles: list[EmergencyRole] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when anything was written."""
        return self.contacts is not None or bool(self.roles)

    def describe(self) -> str:
        """One line for the person who made it."""
        if not self.changed:
            return f"Nothing changed: the emergency plan of {self.site_code} already says this."
        parts = ["contacts" if self.contacts is not None else ""]
        if self.roles:
            parts.append(f"{len(self.roles)} emergency role{'s' * (len(self.roles) > 1)}")
        what = " and ".join(p for p in parts if p)
        return (
            f"Recorded a new version of the emergency plan of {self.site_code}"
            f" ({what}) from {self.effective_from:%d %B %Y}."
        )


def plan_history(session: Session, site: Site) -> SitePlanHistory:
    """A site's contacts versions and role rows, oldest first (ties by id)."""
    contacts = session.scalars(
        select(SiteContacts)
        .where(SiteContacts.site_id == site.id)
        .order_by(SiteContacts.effective_from, SiteContacts.id)
    ).all()
    roles = session.scalars(
        select(EmergencyRole)
        .where(EmergencyRole.site_id == site.id)
        .order_by(EmergencyRole.effective_from, EmergencyRole.id)
    ).all()
    return SitePlanHistory(site, list(contacts), list(roles))


def change_site_plan(
    session: Session,
    site: Site,
    *,
    effective_from: date,
    reason: str,
    actor: str,
    contacts: Mapping[str, Any] | None = None,
    roles: Roles | None = None,
    history: SitePlanHistory | None = None,
) -> PlanChange:
    """From `effective_from` on, the site's contacts are `contacts` (every value; None:
    as they are) and each duty named in `roles` is done by its assignee."""
    why = (reason or "").strip()
    if not why:
        raise UserError("say why the emergency plan changes (e.g. new hospital phone number)")
    known = history or plan_history(session, site)
    latest = known.latest_day
    if latest is not None and effective_from < latest:
        raise UserError(
            f"the emergency plan of {site.code} changed on {latest:%d %B %Y}: a change"
            f" from {effective_from:%d %B %Y} would rewrite what it said since; date it"
            f" {latest:%d %B %Y} or later"
        )
    out = PlanChange(site.code, effective_from)
    if contacts is not None:
        out.contacts = _new_contacts(session, site, known, contacts, effective_from, why, actor)
    if roles:
        out.roles = _new_roles(session, site, known, roles, effective_from, why, actor)
    return out


def change_site_plan_as(
    session: Session,
    by: Principal,
    *,
    site_code: str,
    effective_from: date,
    reason: str,
    contacts: Mapping[str, Any] | None,
    roles: Roles | None,
    based_on: str | None = None,
) -> PlanChange:
    """`change_site_plan` for a signed-in officer, refused when the plan changed since
    the form was drawn (`based_on`: the history's token then)."""
    require(by, "edit_site_plan", site_code)
    site = site_by_code(session, site_code)
    history = plan_history(session, site)
    if based_on is not None and based_on != history.token:
        raise UserError(
            f"the emergency plan of {site.code} was changed while this page was open;"
            " reload it to see the new version, then make your change"
        )
    return change_site_plan(
        session,
        site,
        effective_from=effective_from,
        reason=reason,
        actor=by.actor,
        contacts=contacts,
        roles=roles,
        history=history,
    )


def _new_contacts(
    session: Session,
    site: Site,
    history: SitePlanHistory,
    values: Mapping[str, Any],
    day: date,
    reason: str,
    actor: str,
) -> SiteContacts | None:
    """A new contacts version, unless the values are those in force on the day."""
    unknown = set(values) - set(CONTACT_VALUES)
    if unknown:
        raise ValueError(f"not a contact field: {', '.join(sorted(unknown))}")
    clean = {name: _clean(name, values.get(name)) for name in CONTACT_VALUES}
    held = history.contacts_on(day)
    if held is not None and all(getattr(held, n) == clean[n] for n in CONTACT_VALUES):
        return None
    row = SiteContacts(
        site_id=site.id, effective_from=day, reason=reason, recorded_by=actor, **clean
    )
    records.create(session, row, actor=actor, reason=reason)
    history.contacts.append(row)
    return row


def _new_roles(
    session: Session,
    site: Site,
    history: SitePlanHistory,
    roles: Roles,
    day: date,
    reason: str,
    actor: str,
) -> list[EmergencyRole]:
    """A role row for each duty whose assignee differs from the one in force on the day."""
    held = history.roles_on(day)
    staff_ids = _staff_ids(session, [who for who in roles.values() if who])
    made = []
    for (scenario, duty), assignee in roles.items():
        who = _assignee(assignee, staff_ids)
        _check_duty(scenario, duty)
        now = held.get((scenario, duty))
        if (now.assignee if now is not None else "") == who:
            continue
        row = EmergencyRole(
            site_id=site.id,
            scenario=scenario,
            duty=duty,
            assignee=who,
            effective_from=day,
            reason=reason,
            recorded_by=actor,
        )
        made.append(row)
    for row in made:
        records.create(session, row, actor=actor, reason=reason)
    history.roles.extend(made)
    return made


def _clean(name: str, value: Any) -> Any:
    """A contact value as stored: text trimmed (blank: None), drive time whole minutes."""
    if value is None:
        return None
    if name == "drive_minutes":
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            raise UserError(f"drive time is whole minutes, not {value!r}") from None
        if minutes < 0 or minutes > 24 * 60:
            raise UserError(f"drive time is minutes between 0 and {24 * 60}, not {minutes}")
        return minutes
    text = str(value).strip()
    limit = getattr(SiteContacts.__table__.columns[name].type, "length", None)
    if limit is not None and len(text) > limit:
        raise UserError(f"{name.replace('_', ' ')} is longer than {limit} characters")
    return text or None


def _check_duty(scenario: str, duty: str) -> None:
    if scenario not in (EVERY_SCENARIO, *EMERGENCY_SCENARIOS):
        raise UserError(f"{scenario!r} is not an emergency scenario")
    if duty not in EMERGENCY_DUTIES:
        raise UserError(f"{duty!r} is not an emergency duty")


def _staff_ids(session: Session, wanted: list[str]) -> dict[str, str]:
    """Staff ids on file among `wanted`, by their lower-case spelling."""
    if not wanted:
        return {}
    query = select(Staff.staff_id).where(Staff.staff_id.in_(sorted(set(wanted))))
    return {staff_id.lower(): staff_id for staff_id in session.scalars(query)}


def _assignee(value: str, staff_ids: Mapping[str, str]) -> str:
    """A role name in lower case, a staff id as stored; "" for no one. An id not on file is
    kept as written (the plan prints it in red), as the import always allowed."""
    text = (value or "").strip()
    if text.lower() in STAFF_ROLES:
        return text.lower()
    if len(text) > 64:
        raise UserError("an emergency role names a staff role or a staff id, not a sentence")
    return staff_ids.get(text.lower(), text)
