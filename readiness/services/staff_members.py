"""Add a staff member at their home site, employed from the day they were hired.

A departure is `services.staff.record_departure`; together they keep the employment
dates the engine reads (owed nothing before `hired_on`, nor from `left_on` on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import STAFF_ROLES, Site, Staff


@dataclass(frozen=True)
class NewStaff:
    """A staff member as the officer enters them."""

    staff_id: str
    site_code: str
    full_name: str
    role: str
    hired_on: date
    email: str | None = None
    is_lso: bool = False


def add_staff(session: Session, by: Principal, new: NewStaff, *, today: date) -> Staff:
    """Add a staff member, active from `hired_on` (not in the future)."""
    site = session.scalar(select(Site).where(Site.code == new.site_code))
    if site is None:
        raise UserError(f"no site with code {new.site_code!r}")
    require(by, "manage_staff", site.code)
    staff_id = new.staff_id.strip()
    if not staff_id:
        raise UserError("give the staff member an id (e.g. S-120)")
    if len(staff_id) > 64:
        raise UserError("the staff id is longer than 64 characters")
    taken = session.scalar(select(Staff).where(Staff.staff_id == staff_id))
    if taken is not None:
        raise UserError(
            f"staff id {staff_id!r} is already used ({taken.full_name}); choose another"
        )
    name = new.full_name.strip()
    if not name:
        raise UserError("give the staff member's full name")
    if new.role not in STAFF_ROLES:
        raise UserError(f"role must be one of {', '.join(STAFF_ROLES)}, not {new.role!r}")
    if new.hired_on > today:
        raise UserError(
            f"the hire date {new.hired_on} is in the future: add them on their first day"
        )
    person = Staff(
        staff_id=staff_id,
        site_id=site.id,
        full_name=name,
        role=new.role,
        email=(new.email or "").strip() or None,
        is_lso=new.is_lso,
        active=True,
        hired_on=new.hired_on,
    )
    return records.create(session, person, actor=by.actor, reason="added on the dashboard")
