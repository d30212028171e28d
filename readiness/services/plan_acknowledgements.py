"""Staff acknowledge the current version of their site's emergency action plan.

Signed like a checklist (`readiness.services.signing`: one's own name, or another's
with their PIN), audited, and recorded once: the same idempotency key again, or a
second acknowledgement of a version the person already acknowledged, writes nothing.
The version acknowledged must be the one the page showed and the data still gives;
a plan that changed meanwhile is refused, so nobody signs for a plan they did not see.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import chain as audit
from readiness.audit import records
from readiness.checklist.lookup import signer, site_by_code
from readiness.compliance.plan_versions import plan_versions
from readiness.errors import UserError
from readiness.models import PlanAcknowledgement, Site, Staff
from readiness.rules import slots
from readiness.rules.plan_version import short
from readiness.services.signatures import Signature
from readiness.services.signing import signature_by

ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True)
class Acknowledgement:
    """The outcome: the record, and whether this call wrote it."""

    record: PlanAcknowledgement
    created: bool

    def describe(self) -> str:
        """One line for the person who signed."""
        record = self.record
        what = f"{record.signature_name} acknowledged the emergency plan (version"
        what += f" {short(record.plan_version)}) on {record.acknowledged_on:%d %B %Y}"
        return what + "." if self.created else f"Already recorded: {what}; nothing new written."


def acknowledge_plan(
    session: Session,
    by: Principal,
    *,
    site_code: str,
    staff_id: str,
    plan_version: str,
    pin: str | None,
    now_utc: datetime,
    key: str | None = None,
) -> Acknowledgement:
    """Record that the staff member read the site's plan of `plan_version` (the one shown)."""
    audit.lock_chain(session)  # "already acknowledged?" and the insert as one step
    if key and (same := _with_key(session, key)) is not None:
        return Acknowledgement(same, created=False)
    require(by, "acknowledge_plan", site_code)
    site = site_by_code(session, site_code)
    person = signer(session, site, staff_id)
    current = plan_versions(session, [site.id])[site.id]
    if plan_version != current:
        raise UserError(
            "The emergency plan changed while this page was open. Read the new version,"
            " then acknowledge it."
        )
    done = _acknowledged(session, site, person, current)
    if done is not None:
        return Acknowledgement(done, created=False)
    signature = signature_by(by, person, pin, now_utc, meaning=ACKNOWLEDGED)
    made = record_acknowledgement(
        session, site, signature, current, actor=by.actor, key=key or str(uuid.uuid4())
    )
    return Acknowledgement(made, created=True)


def record_acknowledgement(
    session: Session, site: Site, signature: Signature, version: str, *, actor: str, key: str
) -> PlanAcknowledgement:
    """Write one signed acknowledgement with its audit event (the caller checked the rules)."""
    record = PlanAcknowledgement(
        site_id=site.id,
        staff_pk=signature.staff_pk,
        plan_version=version,
        acknowledged_on=slots.site_today(signature.signed_at, site.timezone),
        signed_at=signature.signed_at,
        signature_name=signature.printed_name,
        signature_meaning=signature.meaning,
        idempotency_key=key,
    )
    return records.create(session, record, actor=actor)


def acknowledged_on(session: Session, site: Site, person: Staff, version: str) -> date | None:
    """The day the person acknowledged this version of the site's plan, or None."""
    done = _acknowledged(session, site, person, version)
    return done.acknowledged_on if done is not None else None


def _acknowledged(
    session: Session, site: Site, person: Staff, version: str
) -> PlanAcknowledgement | None:
    query = select(PlanAcknowledgement).where(
        PlanAcknowledgement.site_id == site.id,
        PlanAcknowledgement.staff_pk == person.id,
        PlanAcknowledgement.plan_version == version,
        PlanAcknowledgement.record_state == "current",
    )
    return session.scalars(query.order_by(PlanAcknowledgement.id)).first()


def _with_key(session: Session, key: str) -> PlanAcknowledgement | None:
    query = select(PlanAcknowledgement).where(PlanAcknowledgement.idempotency_key == key)
    return session.scalar(query)
