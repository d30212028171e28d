"""Create, amend, void and update records, each with its audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.clock import utc_now
from readiness.errors import UserError
from readiness.models import Base

T = TypeVar("T", bound=Base)

# Lifecycle columns: the only ones an evidence row may change after it is written.
LIFECYCLE = frozenset({"record_state", "void_reason"})


def _require_reason(reason: str | None, what: str) -> str:
    if reason is None or not reason.strip():
        raise UserError(f"{what} needs a reason")
    return reason.strip()


def stale(session: Session, obj: Base, what: str) -> UserError:
    """The error for a writer that acted on an old view (a form showing an earlier state):
    what the record is now, who changed it and when."""
    last = audit.last_change(session, obj.__tablename__, audit.entity_id(obj))
    if last is None:
        return UserError(f"{what}; reload and try again")
    actor, at = last
    at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return UserError(
        f"{what}: changed by {actor} at {at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC;"
        " reload and try again"
    )


def create(session: Session, obj: T, *, actor: str, reason: str | None = None) -> T:
    """Add a new record and audit it."""
    if obj.__evidence__:
        obj.recorded_at = utc_now()  # type: ignore[attr-defined]
        obj.recorded_by = actor  # type: ignore[attr-defined]
    session.add(obj)
    audit.record(session, "create", obj, actor=actor, reason=reason)
    return obj


def create_many(
    session: Session,
    new: Sequence[tuple[Base, str | None]],
    *,
    actor: str,
    at: datetime | None = None,
) -> None:
    """Create many records, each with its reason, in one flush and one batch of audit events.

    `create` flushes and appends per record (about 6 s for 10,000 rows on SQLite);
    imports and bulk writers use this instead, with the same events. `at` dates them
    (the demo writes a reproducible history); by default they are recorded now.
    """
    if not new:
        return
    now = at or utc_now()
    for obj, _why in new:
        if obj.__evidence__:
            obj.recorded_at = now  # type: ignore[attr-defined]
            obj.recorded_by = actor  # type: ignore[attr-defined]
    session.add_all([obj for obj, _why in new])
    session.flush()
    audit.append_many(
        session,
        [
            audit.EventSpec(
                actor=actor,
                action="create",
                entity=obj.__tablename__,
                entity_id=audit.entity_id(obj),
                before=None,
                after=audit.snapshot(obj),
                reason=why,
                at=at,
            )
            for obj, why in new
        ],
    )


def _columns(obj: Base) -> set[str]:
    return {c.key for c in obj.__table__.columns}


def update(
    session: Session, obj: T, changes: dict[str, Any], *, actor: str, reason: str | None
) -> bool:
    """Change a master-data record in place (site, staff, asset, ...); False if nothing changed."""
    if obj.__evidence__:
        raise TypeError(f"{obj.__tablename__} is evidence: amend it instead")
    unknown = set(changes) - _columns(obj)
    if unknown:
        raise TypeError(f"unknown columns {sorted(unknown)} for {obj.__tablename__}")
    if all(getattr(obj, k) == v for k, v in changes.items()):
        return False
    before = audit.snapshot(obj)
    for key, value in changes.items():
        setattr(obj, key, value)
    audit.record(session, "update", obj, actor=actor, before=before, reason=reason)
    return True


def amend(
    session: Session, old: T, changes: dict[str, Any], *, actor: str, reason: str | None
) -> T:
    """Supersede an evidence record by a corrected copy; the original stays visible."""
    why = _require_reason(reason, "an amendment")
    if old.record_state != "current":  # type: ignore[attr-defined]
        state = old.record_state  # type: ignore[attr-defined]
        raise stale(session, old, f"{old.__tablename__} {audit.entity_id(old)} is {state}")
    keep = _columns(old) - {"id", *LIFECYCLE, "supersedes_id", "recorded_at", "recorded_by"}
    values = {k: getattr(old, k) for k in keep} | _copied_children(old) | changes
    new = type(old)(**values)
    _retire(session, old, "superseded", actor=actor, reason=why)
    new.supersedes_id = old.id  # type: ignore[attr-defined]
    return create(session, new, actor=actor, reason=why)


def _copied_children(old: Base) -> dict[str, list[Base]]:
    """Fresh copies of the rows that belong to a record (drill participants, run answers).

    The parent key and surrogate ids are left for the new parent's flush to fill.
    """
    out: dict[str, list[Base]] = {}
    mapper = inspect(type(old))
    for name in old.__audit_children__:
        rel = mapper.relationships[name]
        parent_keys = {c.key for c in rel.remote_side}
        child_table = audit.table_of(rel.mapper.class_)
        skip = parent_keys | {c.key for c in child_table.primary_key.columns if not c.foreign_keys}
        out[name] = [
            rel.mapper.class_(
                **{c.key: getattr(row, c.key) for c in child_table.columns if c.key not in skip}
            )
            for row in getattr(old, name)
        ]
    return out


def void(session: Session, obj: Base, *, actor: str, reason: str | None) -> None:
    """Mark a mistaken evidence record void; it is kept and still shown as voided."""
    why = _require_reason(reason, "voiding a record")
    if obj.record_state != "current":  # type: ignore[attr-defined]
        state = obj.record_state  # type: ignore[attr-defined]
        raise stale(session, obj, f"{obj.__tablename__} {audit.entity_id(obj)} is already {state}")
    _retire(session, obj, "voided", actor=actor, reason=why)


def _retire(session: Session, obj: Base, state: str, *, actor: str, reason: str) -> None:
    before = audit.snapshot(obj)
    obj.record_state = state  # type: ignore[attr-defined]
    if state == "voided":
        obj.void_reason = reason  # type: ignore[attr-defined]
    action = "void" if state == "voided" else "supersede"
    audit.record(session, action, obj, actor=actor, before=before, reason=reason)


@event.listens_for(Session, "before_flush")
def _refuse_evidence_edits(session: Session, _ctx: Any, _instances: Any) -> None:
    """Evidence content is never overwritten, whatever code path tries."""
    for obj in session.dirty:
        if not getattr(obj, "__evidence__", False):
            continue
        state = inspect(obj)
        changed = {a.key for a in state.attrs if a.history.has_changes()}
        changed -= LIFECYCLE
        changed = {k for k in changed if k in _columns(obj)}
        if changed:
            raise UserError(
                f"{obj.__tablename__} {audit.entity_id(obj)} is evidence: {sorted(changed)}"
                " cannot be changed in place; amend it with a reason"
            )
    for obj in session.deleted:
        if getattr(obj, "__evidence__", False):
            raise UserError(f"{obj.__tablename__} records are never deleted; void them instead")
