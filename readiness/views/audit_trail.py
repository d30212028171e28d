"""The audit trail as a table, filtered by entity, actor and dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.models import AuditEvent

COLUMNS = ["seq", "at", "actor", "action", "entity", "entity_id", "reason"]


def entities() -> list[str]:
    """Names of the audited tables, for the entity filter."""
    return sorted(audit.table_of(model).name for model in audit.audited_models())


def audit_events(
    session: Session,
    *,
    entity: str | None = None,
    actor: str | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """The latest events matching the filters, newest first; dates are UTC days, inclusive."""
    query = select(*(getattr(AuditEvent, c) for c in COLUMNS))
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if actor:
        query = query.where(AuditEvent.actor.contains(actor.strip(), autoescape=True))
    if start:
        query = query.where(AuditEvent.at >= datetime.combine(start, time(0), tzinfo=UTC))
    if end:
        query = query.where(
            AuditEvent.at < datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
        )
    rows = session.execute(query.order_by(AuditEvent.seq.desc()).limit(limit)).all()
    return pd.DataFrame(rows, columns=COLUMNS)
