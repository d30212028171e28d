"""Add a certification renewal for a staff member (BLS, ACLS, LSO, ...)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import Certification, Site, Staff
from readiness.policy.pack import Policy
from readiness.rules.certificates import certificate_date_problems


def add_certification(
    session: Session,
    by: Principal,
    *,
    staff_id: str,
    cert_type: str,
    issued_on: date,
    today: date,
    expires_on: date | None = None,
    card_number: str | None = None,
    provider: str | None = None,
    policy: Policy,
) -> Certification:
    """Record a certificate; without an expiry date the policy's validity gives one."""
    person = session.scalar(select(Staff).where(Staff.staff_id == staff_id))
    if person is None:
        raise UserError(f"no staff member with id {staff_id!r}")
    site = session.get(Site, person.site_id)
    assert site is not None  # a foreign key guarantees it
    require(by, "add_certification", site.code)
    rules = policy.certificate_types
    if cert_type not in rules:
        raise UserError(f"certificate type must be one of {', '.join(rules)}, not {cert_type!r}")
    derived = expires_on is None
    if derived:
        expires_on = rules[cert_type].expiry_for(issued_on)
    # The importer applies the same rules to every certification row.
    problems = certificate_date_problems(issued_on, expires_on, today)
    if problems:
        raise UserError(problems[0][1])
    if expires_on is None:
        raise UserError(f"the policy sets no validity for {cert_type}: enter the expiry date")
    card = Certification(
        staff_pk=person.id,
        cert_type=cert_type,
        issued_on=issued_on,
        expires_on=expires_on,
        expiry_derived=derived,
        card_number=(card_number or "").strip() or None,
        provider=(provider or "").strip() or None,
    )
    return records.create(session, card, actor=by.actor)
