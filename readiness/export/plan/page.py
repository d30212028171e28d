"""The Emergency plan page's read model: a site's contacts and roles in force today, what
the wall plan would print as missing (in its words: it lives beside the plan's facts),
the choices of the change form, and the history of dated versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.checklist.lookup import site_by_code
from readiness.export.plan.facts import (
    CONTACT_FIELDS,
    DUTY_PHRASES,
    DUTY_WORDS,
    ROLE_WORDS,
    SiteFacts,
    site_facts,
    site_today,
)
from readiness.models import EMERGENCY_DUTIES, EMERGENCY_SCENARIOS, STAFF_ROLES, SiteContacts, Staff
from readiness.models.site_contact import CONTACT_VALUES, EVERY_SCENARIO
from readiness.services.site_contacts import SitePlanHistory, plan_history

NO_ONE = "No one named"


@dataclass(frozen=True)
class SitePlanModel:
    """One site's plan as the page shows it today."""

    code: str
    today: date
    facts: SiteFacts
    # What the form starts from: contact values and (scenario, duty) -> assignee in force.
    values: dict[str, Any]
    roles: dict[tuple[str, str], str]
    # The history's token: a submit from an older drawing is refused.
    token: str
    # Assignee value -> label, for the form's pickers ("" first: no one).
    choices: dict[str, str]
    missing: list[str]
    who_does_what: pd.DataFrame
    history: pd.DataFrame


def site_plan(session: Session, code: str, now_utc: datetime) -> SitePlanModel:
    """The page's model of one site (UserError for an unknown code)."""
    site = site_by_code(session, code)
    today = site_today(site.timezone, now_utc)
    history = plan_history(session, site)
    facts = site_facts(session, site.code, as_of=today)
    held = history.contacts_on(today)
    values = {name: getattr(held, name) if held is not None else None for name in CONTACT_VALUES}
    roles = {key: row.assignee for key, row in history.roles_on(today).items()}
    choices = _choices(session, site.id, roles.values())
    return SitePlanModel(
        code=site.code,
        today=today,
        facts=facts,
        values=values,
        roles=roles,
        token=history.token,
        choices=choices,
        missing=missing_lines(facts),
        who_does_what=_who_does_what(facts),
        history=_history(history, {k: v for k, v in choices.items() if k}),
    )


def missing_lines(facts: SiteFacts) -> list[str]:
    """What the wall plan prints in red for this site, in its words (a duty nobody has in
    every scenario is one line)."""
    lines = [f"No {CONTACT_FIELDS[name]} on file" for name, v in facts.contacts.items() if not v]
    for duty in EMERGENCY_DUTIES:
        nobody = [s for s in EMERGENCY_SCENARIOS if facts.role(s, duty) is None]
        if nobody:
            where = (
                "every scenario"
                if len(nobody) == len(EMERGENCY_SCENARIOS)
                else ", ".join(_title(s) for s in nobody)
            )
            lines.append(f"{NO_ONE} who {DUTY_PHRASES[duty]} ({where})")
        unknown = {
            who.text for s in EMERGENCY_SCENARIOS if (who := facts.role(s, duty)) and not who.known
        }
        lines += sorted(unknown)
    return lines


def _title(scenario: str) -> str:
    return scenario.replace("_", " ").capitalize()


def _who_does_what(facts: SiteFacts) -> pd.DataFrame:
    """Scenario by duty, each cell who does it (a scenario's own row, else every scenario's)."""
    rows = []
    for scenario in EMERGENCY_SCENARIOS:
        row = {"scenario": _title(scenario)}
        for duty in EMERGENCY_DUTIES:
            who = facts.role(scenario, duty)
            row[DUTY_WORDS[duty]] = NO_ONE if who is None else who.text
        rows.append(row)
    return pd.DataFrame(rows)


def _choices(session: Session, site_id: int, current: Any) -> dict[str, str]:
    """Who may be named: no one, a staff role on duty, or one of the site's staff."""
    out = {"": NO_ONE}
    for role in STAFF_ROLES:
        out[role] = f"The {ROLE_WORDS.get(role, role.replace('_', ' '))} on duty"
    query = (
        select(Staff.staff_id, Staff.full_name)
        .where(Staff.site_id == site_id, Staff.active.is_(True))
        .order_by(Staff.full_name)
    )
    for staff_id, name in session.execute(query):
        out[staff_id] = f"{name} ({staff_id})"
    for value in current:  # an id named by an import but not on file stays choosable
        out.setdefault(value, f"{value} (not on file)")
    return out


def _history(history: SitePlanHistory, names: dict[str, str]) -> pd.DataFrame:
    """Every change, newest first: from when, what changed, why, and who made it."""
    rows = []
    before: SiteContacts | None = None
    for version in history.contacts:
        what = _what_changed(before, version)
        rows.append((version.effective_from, version.id, what, version.reason, version.recorded_by))
        before = version
    for role in history.roles:
        scenario = "every scenario" if role.scenario == EVERY_SCENARIO else _title(role.scenario)
        who = names.get(role.assignee, role.assignee) if role.assignee else NO_ONE.lower()
        what = f"{DUTY_WORDS[role.duty]} ({scenario}): {who}"
        rows.append((role.effective_from, role.id, what, role.reason, role.recorded_by))
    rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return pd.DataFrame(
        [(on, what, why or "", _who(by)) for on, _id, what, why, by in rows],
        columns=["from", "change", "reason", "recorded by"],
    )


def _what_changed(before: SiteContacts | None, after: SiteContacts) -> str:
    """A contacts version as the values it changed ("Emergency department phone: 555-0177")."""
    if before is None:
        return "Numbers and places (first version)"
    changed = [
        f"{CONTACT_FIELDS[name][0].upper()}{CONTACT_FIELDS[name][1:]}:"
        f" {getattr(after, name) if getattr(after, name) is not None else 'cleared'}"
        for name in CONTACT_VALUES
        if getattr(before, name) != getattr(after, name)
    ]
    return "; ".join(changed) or "Numbers and places (the same values again)"


def _who(actor: str) -> str:
    """An audit actor as people read it ("user:ann" -> "ann")."""
    return actor.split(":", 1)[1] if actor.startswith("user:") else actor
