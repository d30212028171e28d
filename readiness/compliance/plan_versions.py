"""The current version of each site's emergency action plan, and who acknowledged which.

A plan is its site's contacts and places, its emergency roles and the practice's
protocols (`readiness.rules.plan_version`); none of them is effective-dated, so the
version is the one the data gives now, and an acknowledgement counts from its day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import EmergencyRole, PlanAcknowledgement, Site, SiteContacts
from readiness.policy.handouts import current_protocols
from readiness.policy.protocols import Protocols
from readiness.rules.plan_version import plan_version

CURRENT = "current"
# Contact columns of a site that the plan prints (not its keys).
CONTACT_COLUMNS = tuple(
    column.key for column in SiteContacts.__table__.columns if column.key not in {"id", "site_id"}
)


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
    session: Session, site_ids: Iterable[int] | None, protocols: Protocols | None = None
) -> dict[int, str]:
    """Site pk -> the version of its plan now (None for site_ids: every site)."""
    content = protocols_content(protocols or current_protocols())
    sites = select(Site.id, Site.nearest_hospital)
    contacts = select(SiteContacts)
    roles = select(
        EmergencyRole.site_id, EmergencyRole.scenario, EmergencyRole.duty, EmergencyRole.assignee
    )
    if site_ids is not None:
        wanted = sorted({int(site_id) for site_id in site_ids})
        sites = sites.where(Site.id.in_(wanted))
        contacts = contacts.where(SiteContacts.site_id.in_(wanted))
        roles = roles.where(EmergencyRole.site_id.in_(wanted))
    stored = {row.site_id: row for row in session.scalars(contacts)}
    duties: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for site_id, scenario, duty, assignee in session.execute(roles):
        duties[site_id].append((scenario, duty, assignee))
    versions: dict[int, str] = {}
    for site_id, nearest_hospital in session.execute(sites):
        row = stored.get(site_id)
        fields: dict[str, object] = {name: getattr(row, name, None) for name in CONTACT_COLUMNS}
        # The plan prints the site's own hospital where no emergency department is on file.
        fields["nearest_hospital"] = nearest_hospital
        versions[site_id] = plan_version(content, fields, duties[site_id])
    return versions


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
) -> dict[tuple[int, int], date]:
    """(site pk, staff pk) -> the first day each person acknowledged their site's current plan."""
    ids = list(site_ids)
    versions = plan_versions(session, ids)
    first: dict[tuple[int, int], date] = {}
    for ack in acknowledgements(session, ids, through=through):
        if ack.plan_version == versions.get(ack.site_id):
            first.setdefault((ack.site_id, ack.staff_pk), ack.acknowledged_on)
    return first
