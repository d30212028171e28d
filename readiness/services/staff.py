"""Staff use cases: record that someone left the practice, from a day on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import Site, Staff


def record_departure(
    session: Session, by: Principal, *, staff_id: str, left_on: date, today: date, reason: str
) -> bool:
    """Record that a staff member left on `left_on`: inactive from that day on, not before."""
    person = session.scalar(select(Staff).where(Staff.staff_id == staff_id))
    if person is None:
        raise UserError(f"no staff member with id {staff_id!r}")
    site = session.get(Site, person.site_id)
    assert site is not None  # a foreign key guarantees it
    require(by, "add_certification", site.code)
    if not reason.strip():
        raise UserError("say why (e.g. 'moved to another practice')")
    if person.hired_on is not None and left_on <= person.hired_on:
        raise UserError(f"{person.full_name} was hired on {person.hired_on}, after {left_on}")
    changes = {"left_on": left_on, "active": left_on > today}
    return records.update(session, person, changes, actor=by.actor, reason=reason.strip())
