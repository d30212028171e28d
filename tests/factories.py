"""Small record builders for tests, written through the services so they are audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.models import Asset, Certification, Site, Staff

ACTOR = "test"


def site(session: Session, code: str = "AUS1", tz: str = "America/Chicago") -> Site:
    """A site in the given time zone."""
    return records.create(session, Site(code=code, name=f"Clinic {code}", timezone=tz), actor=ACTOR)


def staff(session: Session, site_obj: Site, staff_id: str = "S-1", role: str = "rn") -> Staff:
    """An active staff member of the site."""
    person = Staff(
        staff_id=staff_id, site_id=site_obj.id, full_name=f"Person {staff_id}", role=role
    )
    return records.create(session, person, actor=ACTOR)


def cert(session: Session, person: Staff, issued: date = date(2025, 3, 15)) -> Certification:
    """A BLS card."""
    card = Certification(staff_pk=person.id, cert_type="bls", issued_on=issued)
    return records.create(session, card, actor=ACTOR)


def asset(session: Session, site_obj: Site, asset_id: str = "L-1", kind: str = "laser") -> Asset:
    """An in-service asset of the site."""
    thing = Asset(asset_id=asset_id, site_id=site_obj.id, kind=kind, name=f"{kind} {asset_id}")
    return records.create(session, thing, actor=ACTOR)


def small_practice(session: Session) -> None:
    """Two sites with staff, certificates and a laser: enough rows to tamper with."""
    aus = site(session)
    site(session, "PHX1", "America/Phoenix")
    for n in range(3):
        cert(session, staff(session, aus, f"S-{n}"))
    asset(session, aus)
