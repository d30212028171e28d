"""The version of each site's emergency action plan on a day or over a period, and who
acknowledged which.

A plan is its site's contacts and places, its emergency roles and the practice's
protocols (`readiness.rules.plan_version`). Contacts and roles are dated versions
(`readiness.rules.site_plan`), so a site's plan version is the one in force on a day
(by default its today); a change from a day makes a new version that everyone owes
again from that day. An acknowledgement counts from its day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness import clock
from readiness.models import EmergencyRole, PlanAcknowledgement, Site, SiteContacts
from readiness.models.site_contact import CONTACT_VALUES
from readiness.policy.handouts import current_protocols
from readiness.policy.protocols import Protocols
from readiness.rules.plan_version import plan_version
from readiness.rules.site_plan import in_force, roles_in_force

CURRENT = "current"
# Contact columns of a site that the plan prints (not its keys, date, reason or author:
# a version that repeats the values is the same plan).
CONTACT_COLUMNS = CONTACT_VALUES
# A day for every site, or one day per site pk.
Days = date | Mapping[int, date] | None


_CONTENT: dict[str, object] = {}


@dataclass(frozen=True)
class Acknowledged:
    """One current acknowledgement: whose, of which version, on which site-local day."""

    site_id: int
    staff_pk: int
    plan_version: str
    acknowledged_on: date


def protocols_content(protocols: Protocols) -> object:
    """What of the protocols the plan prints: the emergency and complication protocols
    (aftercare goes home with patients and has versions of its own)."""
    found = _CONTENT.get(protocols.version)
    if found is None:
        found = protocols.model_dump(mode="json")["protocols"]
        # Per file version: an export asks once per site.
        _CONTENT.clear()
        _CONTENT[protocols.version] = found
    return found


def plan_versions(
    session: Session,
    site_ids: Iterable[int] | None,
    protocols: Protocols | None = None,
    *,
    as_of: Days = None,
) -> dict[int, str]:
    """Site pk -> the version of its plan on `as_of` (None: each site's today; None for
    site_ids: every site)."""
    content = protocols_content(protocols or current_protocols())
    now = clock.utc_now()
    return {
        site.pk: site.version_on(content, _day(as_of, site.pk, site.zone, now))
        for site in _site_plans(session, site_ids)
    }


def plan_version_changes(
    session: Session,
    site_ids: Iterable[int],
    protocols: Protocols | None = None,
    *,
    start: date,
    through: date,
) -> dict[int, list[tuple[date, str]]]:
    """Site pk -> (first day, version) of each version of its plan from `start` to
    `through`, oldest first: the one in force on `start`, then one from each day its
    contacts or roles changed (a change that gives the same version starts nothing)."""
    content = protocols_content(protocols or current_protocols())
    found: dict[int, list[tuple[date, str]]] = {}
    for site in _site_plans(session, site_ids):
        changes = {row.effective_from for row in site.rows()}
        versions: list[tuple[date, str]] = []
        for on in sorted({start, *(d for d in changes if start < d <= through)}):
            version = site.version_on(content, on)
            if not versions or versions[-1][1] != version:
                versions.append((on, version))
        found[site.pk] = versions
    return found


@dataclass(frozen=True)
class _SitePlan:
    """One site's plan records: its contacts versions and role changes, all days."""

    pk: int
    nearest_hospital: str | None
    zone: str
    contacts: list[SiteContacts]
    roles: list[EmergencyRole]

    def rows(self) -> list[SiteContacts | EmergencyRole]:
        """Every dated row: each one's day may start a new version."""
        return [*self.contacts, *self.roles]

    def version_on(self, content: object, on: date) -> str:
        """The version of the plan in force on `on`."""
        row = in_force(self.contacts, on)
        fields: dict[str, object] = {name: getattr(row, name, None) for name in CONTACT_COLUMNS}
        # The plan prints the site's own hospital where no emergency department is on file.
        fields["nearest_hospital"] = self.nearest_hospital
        held = roles_in_force(self.roles, on).values()
        rows = [(r.scenario, r.duty, r.assignee) for r in held]
        return plan_version(content, fields, rows)


def _site_plans(session: Session, site_ids: Iterable[int] | None) -> list[_SitePlan]:
    """The sites' plan records in three queries (None for site_ids: every site)."""
    sites = select(Site.id, Site.nearest_hospital, Site.timezone)
    contacts = select(SiteContacts)
    roles = select(EmergencyRole)
    if site_ids is not None:
        wanted = sorted({int(site_id) for site_id in site_ids})
        sites = sites.where(Site.id.in_(wanted))
        contacts = contacts.where(SiteContacts.site_id.in_(wanted))
        roles = roles.where(EmergencyRole.site_id.in_(wanted))
    stored: dict[int, list[SiteContacts]] = defaultdict(list)
    for version in session.scalars(contacts):
        stored[version.site_id].append(version)
    duties: dict[int, list[EmergencyRole]] = defaultdict(list)
    for role in session.scalars(roles):
        duties[role.site_id].append(role)
    return [
        _SitePlan(site_id, nearest_hospital, zone, stored[site_id], duties[site_id])
        for site_id, nearest_hospital, zone in session.execute(sites)
    ]


def _day(as_of: Days, site_id: int, zone: str, now: datetime) -> date:
    """The day a site's version is wanted for."""
    if isinstance(as_of, date):
        return as_of
    if as_of is not None and site_id in as_of:
        return as_of[site_id]
    return now.astimezone(ZoneInfo(zone)).date()


def acknowledgements(
    session: Session, site_ids: Iterable[int] | None, *, through: date | None = None
) -> list[Acknowledged]:
    """Current acknowledgements of the sites (those dated on or before `through`)."""
    query = select(
        PlanAcknowledgement.site_id,
        PlanAcknowledgement.staff_pk,
        PlanAcknowledgement.plan_version,
        PlanAcknowledgement.acknowledged_on,
    ).where(PlanAcknowledgement.record_state == CURRENT)
    if site_ids is not None:
        query = query.where(PlanAcknowledgement.site_id.in_(sorted({int(s) for s in site_ids})))
    if through is not None:
        query = query.where(PlanAcknowledgement.acknowledged_on <= through)
    query = query.order_by(PlanAcknowledgement.acknowledged_on, PlanAcknowledgement.id)
    return [Acknowledged(*row) for row in session.execute(query)]


def first_acknowledged(
    session: Session, site_ids: Iterable[int], *, through: date | None = None
) -> dict[tuple[int, int], dict[str, date]]:
    """(site pk, staff pk) -> plan version -> the first day the person acknowledged it
    (for the day-by-day history: a day is judged against the version then in force)."""
    first: dict[tuple[int, int], dict[str, date]] = defaultdict(dict)
    for ack in acknowledgements(session, site_ids, through=through):
        first[(ack.site_id, ack.staff_pk)].setdefault(ack.plan_version, ack.acknowledged_on)
    return dict(first)
