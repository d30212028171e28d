"""The facts the reminder planner reads besides the compliance items, and their loading.

The dataclasses are plain values so that tests can build them directly;
`load_facts` reads them from the database at one instant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from readiness.checklist.due import slots_of_days
from readiness.checklist.slot import day_end
from readiness.models import CorrectiveAction, Incident, IncidentFollowup, Site, Staff, User
from readiness.policy.templates import Template
from readiness.rules import slots


@dataclass(frozen=True)
class Officer:
    """A compliance officer's address; `site` None means every site."""

    email: str
    site: str | None = None


@dataclass(frozen=True)
class Directory:
    """Who can be reached: active staff by id and by site, and the officers."""

    staff_emails: Mapping[str, str] = field(default_factory=dict)
    site_staff: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    officers: tuple[Officer, ...] = ()

    def officers_for(self, site: str | None) -> tuple[str, ...]:
        """The officers who answer for a site (site None: the practice-wide ones)."""
        found = [o.email for o in self.officers if o.site is None or o.site == site]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class OpenAction:
    """An open corrective action."""

    id: int
    site: str
    description: str
    due_on: date
    owner_email: str | None = None
    requirement: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class OpenFollowup:
    """A post-treatment follow-up of an incident, not yet done; never any patient detail."""

    id: int
    incident_id: int
    site: str
    incident_type: str
    occurred_on: date
    due_on: date
    logger_email: str | None = None


@dataclass(frozen=True)
class LateSlot:
    """A checklist slot past its due time and not done."""

    site: str
    template_id: str
    title: str
    asset_id: str | None
    slot_date: date
    due_utc: datetime
    day_end_utc: datetime


@dataclass(frozen=True)
class Facts:
    """Everything besides the compliance items that the planner reads."""

    zones: Mapping[str, str]
    directory: Directory
    actions: Sequence[OpenAction] = ()
    followups: Sequence[OpenFollowup] = ()
    late_slots: Sequence[LateSlot] = ()
    # The zone whose Monday morning starts the weekly summary.
    summary_zone: str = "UTC"


# --- loading ------------------------------------------------------------------------


def load_facts(
    session: Session,
    templates: Mapping[str, Template],
    now_utc: datetime,
    *,
    officer_email: str = "",
    late_after: timedelta = timedelta(hours=1),
) -> Facts:
    """The facts of the active sites at now_utc; `officer_email` stands in for officer users."""
    sites = list(session.scalars(select(Site).where(Site.active).order_by(Site.code)))
    codes = {site.id: site.code for site in sites}
    return Facts(
        zones={site.code: site.timezone for site in sites},
        directory=load_directory(session, codes, officer_email),
        actions=load_open_actions(session, codes),
        followups=load_open_followups(session, {site.id: site for site in sites}),
        late_slots=load_late_slots(session, sites, templates, now_utc, late_after),
        summary_zone=sites[0].timezone if sites else "UTC",
    )


def load_directory(session: Session, codes: Mapping[int, str], officer_email: str) -> Directory:
    """Active staff with an e-mail address, and the officers (else the configured address)."""
    staff = session.execute(
        select(Staff.staff_id, Staff.site_id, Staff.email).where(
            Staff.active, Staff.email.is_not(None)
        )
    ).all()
    emails = {sid: email.strip() for sid, _, email in staff if email and email.strip()}
    by_site: dict[str, list[str]] = {}
    for sid, site_id, _ in staff:
        if sid in emails and site_id in codes:
            by_site.setdefault(codes[site_id], []).append(emails[sid])
    return Directory(
        staff_emails=emails,
        site_staff={code: tuple(dict.fromkeys(found)) for code, found in by_site.items()},
        officers=load_officers(session, codes, officer_email),
    )


def load_officers(
    session: Session, codes: Mapping[int, str], officer_email: str
) -> tuple[Officer, ...]:
    """Active officer users with an e-mail; READINESS_OFFICER_EMAIL when there is none."""
    rows = session.execute(
        select(User.email, User.site_id)
        .where(User.role == "officer", User.active, User.email.is_not(None))
        .order_by(User.username)
    ).all()
    officers = tuple(
        Officer(email.strip(), codes.get(site_id) if site_id is not None else None)
        for email, site_id in rows
        if email and email.strip() and (site_id is None or site_id in codes)
    )
    if officers or not officer_email.strip():
        return officers
    return (Officer(officer_email.strip()),)


def load_open_actions(session: Session, codes: Mapping[int, str]) -> list[OpenAction]:
    """Open corrective actions of active sites, with their owner's e-mail."""
    owner = aliased(Staff)
    rows = session.execute(
        select(CorrectiveAction, owner.email)
        .outerjoin(owner, (owner.id == CorrectiveAction.owner_pk) & owner.active)
        .where(CorrectiveAction.status == "open")
        .order_by(CorrectiveAction.id)
    ).all()
    return [
        OpenAction(
            id=action.id,
            site=codes[action.site_id],
            description=action.description,
            due_on=action.due_on,
            owner_email=(email or "").strip() or None,
            requirement=action.requirement,
            subject=action.subject,
        )
        for action, email in rows
        if action.site_id in codes
    ]


def load_open_followups(session: Session, sites: Mapping[int, Site]) -> list[OpenFollowup]:
    """Follow-ups not done, of current incidents, with the e-mail of who logged the incident."""
    logger = aliased(Staff)
    rows = session.execute(
        select(IncidentFollowup, Incident, logger.email)
        .join(Incident, Incident.id == IncidentFollowup.incident_id)
        .outerjoin(logger, (logger.id == Incident.logged_by) & logger.active)
        .where(IncidentFollowup.done_on.is_(None), Incident.record_state == "current")
        .order_by(IncidentFollowup.id)
    ).all()
    return [
        OpenFollowup(
            id=followup.id,
            incident_id=incident.id,
            site=sites[incident.site_id].code,
            incident_type=incident.incident_type,
            occurred_on=slots.site_today(incident.occurred_at, sites[incident.site_id].timezone),
            due_on=followup.due_on,
            logger_email=(email or "").strip() or None,
        )
        for followup, incident, email in rows
        if incident.site_id in sites
    ]


def load_late_slots(
    session: Session,
    sites: Sequence[Site],
    templates: Mapping[str, Template],
    now_utc: datetime,
    late_after: timedelta,
) -> list[LateSlot]:
    """Slots past due and not done, of today and (in its first hour) of yesterday."""
    wanted: list[tuple[Site, date]] = []
    for site in sites:
        today = slots.site_today(now_utc, site.timezone)
        # Yesterday's slots can still be within their reminder window just after midnight.
        if now_utc < slots.day_start_instant(today, site.timezone) + late_after:
            wanted.append((site, today - timedelta(days=1)))
        wanted.append((site, today))
    # Every site's days at once: one query for the assets and one for the runs.
    shown = slots_of_days(session, wanted, now_utc, templates)
    found: dict[tuple[str, str, str | None, date], LateSlot] = {}
    for site, day in wanted:
        for slot in shown[(site.code, day)]:
            if slot.status != "overdue":
                continue
            key = (site.code, slot.template.id, slot.asset_id, slot.slot_date)
            found[key] = LateSlot(
                site=site.code,
                template_id=slot.template.id,
                title=slot.template.title,
                asset_id=slot.asset_id,
                slot_date=slot.slot_date,
                due_utc=slot.due_utc,
                day_end_utc=day_end(slot.template, slot.slot_date, site),
            )
    return list(found.values())
