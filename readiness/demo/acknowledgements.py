"""The demo's staff have acknowledged their site's current emergency plan, so a demo site
in good order is green for `plan.acknowledged` too.

Each active member of staff signed on a fixed day (their first day, or a month before
as_of for those who were there already) at noon UTC, so the same arguments give the
same rows and the same audit chain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.compliance.plan_versions import plan_versions
from readiness.models import PlanAcknowledgement, Staff

ACTOR = "demo"
# Staff who were there already acknowledged the plan this many days before as_of.
BEFORE_AS_OF = timedelta(days=30)
NOON = time(12, 0, tzinfo=UTC)


def acknowledge_plans(session: Session, as_of: date, days: int) -> int:
    """Write one acknowledgement per active member of staff, in time order; returns how many."""
    versions = plan_versions(session, None)
    first = as_of - min(BEFORE_AS_OF, timedelta(days=days))
    people = session.scalars(select(Staff).where(Staff.active).order_by(Staff.id)).all()
    records = []
    for person in people:
        if person.hired_on is not None and person.hired_on > as_of:
            continue
        if person.left_on is not None and person.left_on <= as_of:
            continue
        day = max(first, person.hired_on or first)
        signed = datetime.combine(day, NOON)
        records.append(
            PlanAcknowledgement(
                site_id=person.site_id,
                staff_pk=person.id,
                plan_version=versions[person.site_id],
                acknowledged_on=day,
                signed_at=signed,
                signature_name=person.full_name,
                signature_meaning="acknowledged",
                idempotency_key=f"demo-plan-{person.staff_id}",
                recorded_at=signed,
                recorded_by=ACTOR,
            )
        )
    records.sort(key=lambda record: (record.signed_at, record.staff_pk))
    session.add_all(records)
    session.flush()
    audit.append_many(
        session,
        [
            audit.EventSpec(
                actor=ACTOR,
                action="create",
                entity=PlanAcknowledgement.__tablename__,
                entity_id=audit.entity_id(record),
                before=None,
                after=audit.snapshot(record),
                at=record.recorded_at,
            )
            for record in records
        ],
    )
    return len(records)
