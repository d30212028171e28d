"""Records matched against the file itself (duplicates) and against stored rows (changes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, selectinload

from readiness.checklist.lookup import site_codes_as_stored
from readiness.importing.kinds import Kind
from readiness.importing.references import Record, in_batches
from readiness.importing.report import Problem
from readiness.importing.spool import BATCH_ROWS
from readiness.models import Base


@dataclass
class Change:
    """A stored row and the attributes a file row changes."""

    record: Record
    stored: Base
    changes: dict[str, Any]


@dataclass
class Plan:
    """What writing a file's records means: rows to create, rows to change, rows as they are."""

    new: list[Record] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0


class FirstOfEach:
    """The keys a file's rows have had so far, so that a repeat is an error in any batch.

    Only the key, row number and label of each record are kept, not the record.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, ...], tuple[int, str]] = {}

    def keep(
        self, kind: Kind, records: list[Record], file: str, problems: list[Problem]
    ) -> list[Record]:
        """Records whose key no earlier row of the file has; a repeat is an error."""
        out = []
        for record in records:
            key = _folded(kind, record.key(kind))
            earlier = self._seen.setdefault(key, (record.number, record.label))
            if earlier[0] == record.number:
                out.append(record)
                continue
            reason = f"duplicate of row {earlier[0]} ({record.label})"
            problems.append(Problem(file, reason, record.number, "/".join(kind.key)))
        return out


def _folded(kind: Kind, key: tuple[Any, ...]) -> tuple[Any, ...]:
    """The key as compared within a file: "aus1" repeats "AUS1" when case is ignored."""
    if not kind.key_ignores_case:
        return key
    return tuple(part.lower() if isinstance(part, str) else part for part in key)


def spelled_as_stored(session: Session, kind: Kind, records: list[Record]) -> list[Record]:
    """Records whose case-blind key names a stored row, spelled as that row is.

    A sites file that writes "aus1" changes site AUS1, as `--site aus1` names it on the
    command line, instead of opening a second site that every lookup would confuse.
    """
    if not kind.key_ignores_case:
        return records
    (attr,) = kind.key_attrs
    stored = site_codes_as_stored(session, [r.values[attr] for r in records])
    for record in records:
        record.values[attr] = stored.get(record.values[attr], record.values[attr])
    return records


def plan(session: Session, kind: Kind, records: list[Record]) -> Plan:
    """Sort records into new, changed and unchanged against the stored (current) rows."""
    stored = _stored(session, kind, records)
    out = Plan()
    for record in records:
        match = stored.get(record.key(kind))
        if match is None:
            out.new.append(record)
            continue
        changes = {
            attr: record.values[attr]
            for attr in sorted(record.stated)
            if stored_value(kind, match, attr) != record.values[attr]
        }
        if changes:
            out.changed.append(Change(record, match, changes))
        else:
            out.unchanged += 1
    return out


def stored_value(kind: Kind, obj: Base, attr: str) -> Any:
    """An attribute of a stored row, with child rows as the sorted tuple of their ids."""
    child = kind.children.get(attr)
    if child is None:
        return getattr(obj, attr)
    return tuple(sorted(getattr(row, child.attr) for row in getattr(obj, attr)))


def _stored(session: Session, kind: Kind, records: list[Record]) -> dict[tuple[Any, ...], Base]:
    """Stored rows with the keys of `records`: one query per thousand distinct keys.

    The whole key is matched, not its first column alone: a batch of a file naming
    200 staff members must not load every certification of those 200 people.
    """
    model = kind.model
    columns = [getattr(model, attr) for attr in kind.key_attrs]
    stmt = select(model)
    if kind.evidence:
        # Superseded and voided rows are history: only the current version matches.
        stmt = stmt.where(model.record_state == "current")  # type: ignore[attr-defined]
    for name in kind.children:
        stmt = stmt.options(selectinload(getattr(model, name)))
    found: dict[tuple[Any, ...], Base] = {}
    # One query for a whole batch of rows: keys have at most four columns, so even
    # BATCH_ROWS keys stay far below either engine's bound-parameter limit.
    for batch in in_batches((r.key(kind) for r in records), size=BATCH_ROWS):
        if len(columns) == 1:
            where = columns[0].in_([key[0] for key in batch])
        else:
            where = tuple_(*columns).in_(batch)
        for obj in session.scalars(stmt.where(where)):
            key = tuple(getattr(obj, attr) for attr in kind.key_attrs)
            # Two current rows of one key (entered twice by hand): the newest one stands.
            if key not in found or obj.id > found[key].id:  # type: ignore[attr-defined]
                found[key] = obj
    return found
