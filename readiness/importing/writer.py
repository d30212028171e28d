"""Writing a file's plan through the record services, so every row is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.clock import utc_now
from readiness.importing.changes import write_changes
from readiness.importing.kinds import Kind
from readiness.importing.matching import Change, Plan
from readiness.importing.report import Counts
from readiness.models import Asset, Base, Drill
from readiness.policy.current import current_policy
from readiness.services import asset_history
from readiness.services.drills import follow_up_failed_drills


def reason(file: str, row: int) -> str:
    """The audit reason of a write made by an import row."""
    return f"import {file} row {row}"


def write(session: Session, kind: Kind, plan: Plan, *, file: str, actor: str) -> Counts:
    """Apply a plan: changed rows updated or amended, new rows created; returns the counts."""
    if kind.apply is not None:
        # Versioned data: its service decides what each new or changed row adds.
        rows = [change.record for change in plan.changed] + plan.new
        return kind.apply(session, rows, plan.unchanged, file=file, actor=actor)
    if kind.children:  # records that own child rows are amended one by one
        written = [_change(session, kind, c, file=file, actor=actor) for c in plan.changed]
    else:
        whys = [reason(file, change.record.number) for change in plan.changed]
        written = write_changes(session, kind, plan.changed, whys, actor=actor)
    new = [(build(kind, r.values), reason(file, r.number)) for r in plan.new]
    records.create_many(session, new, actor=actor)
    written += [obj for obj, _why in new]
    if kind.model is Asset:
        # The status columns written become the asset's status history (effective dates).
        assets = [obj for obj in written if isinstance(obj, Asset)]
        whys = [reason(file, r.number) for r in [c.record for c in plan.changed] + plan.new]
        asset_history.sync_written(session, assets, actor=actor, reasons=whys)
    if kind.after is not None and written:
        # Histories and their owners' columns kept in step (readiness.services.histories).
        whys = [reason(file, r.number) for r in [c.record for c in plan.changed] + plan.new]
        kind.after(session, written, actor=actor, reasons=whys)
    drills = [obj for obj in written if isinstance(obj, Drill)]
    if drills:
        # A failing drill opens its repeat-drill action, as when it is logged by hand.
        follow_up_failed_drills(
            session, drills, actor=actor, now_utc=utc_now(), policy=current_policy()
        )
    return Counts(created=len(plan.new), amended=len(plan.changed), unchanged=plan.unchanged)


def build(kind: Kind, values: dict[str, Any]) -> Base:
    """A new model object from record values, child rows made from their ids."""
    return kind.model(**_model_values(kind, values))


def _model_values(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for attr, child in kind.children.items():
        if attr in out:
            out[attr] = [child.model(**{child.attr: pk}) for pk in out[attr]]
    return out


def _change(session: Session, kind: Kind, change: Change, *, file: str, actor: str) -> Base:
    """The stored row updated (master data) or amended (evidence): the row now current."""
    why = reason(file, change.record.number)
    if not kind.evidence:
        changes = _model_values(kind, change.changes)
        records.update(session, change.stored, changes, actor=actor, reason=why)
        return change.stored
    changes = _model_values(kind, change.changes)
    return records.amend(session, change.stored, changes, actor=actor, reason=why)
