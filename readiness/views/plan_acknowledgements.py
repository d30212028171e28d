"""Where a site's staff stand with its emergency plan: the current version, and who has
acknowledged it (the Today page's "Emergency plan" section)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.checklist.lookup import site_by_code
from readiness.compliance.plan_versions import acknowledgements, plan_versions
from readiness.models import Staff
from readiness.rules.plan_version import short


@dataclass(frozen=True)
class PlanStanding:
    """The site's current plan version and, per active member of staff, whether they
    acknowledged it (and when)."""

    site_code: str
    version: str
    acknowledged: dict[str, date] = field(default_factory=dict)
    # Active staff of the site, staff id -> name, by name.
    staff: dict[str, str] = field(default_factory=dict)

    @property
    def short_version(self) -> str:
        """The version as people read it."""
        return short(self.version)

    @property
    def waiting(self) -> list[str]:
        """Names of active staff who have not acknowledged this version yet."""
        return [name for sid, name in self.staff.items() if sid not in self.acknowledged]


def plan_standing(session: Session, site_code: str) -> PlanStanding:
    """The site's plan version now, and its active staff's acknowledgements of it."""
    site = site_by_code(session, site_code)
    version = plan_versions(session, [site.id])[site.id]
    query = select(Staff.id, Staff.staff_id, Staff.full_name).where(
        Staff.site_id == site.id, Staff.active
    )
    people = session.execute(query.order_by(Staff.full_name, Staff.staff_id)).all()
    ids = {pk: staff_id for pk, staff_id, _name in people}
    done: dict[str, date] = {}
    for ack in acknowledgements(session, [site.id]):
        if ack.plan_version == version and ack.staff_pk in ids:
            done.setdefault(ids[ack.staff_pk], ack.acknowledged_on)
    return PlanStanding(
        site.code, version, done, {staff_id: name for _pk, staff_id, name in people}
    )
