"""The database as the audit trail had it at one event: for verifying an older export.

Every audited record's full state is in the trail (its last event's `after`), so the
records as they stood at event N can be rebuilt: copy the events up to N into a
temporary SQLite database (checking each link of the chain on the way), then insert
each record's last state. The export then runs against that database unchanged.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, Table, create_engine, func, insert, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.errors import UserError
from readiness.migrate import upgrade
from readiness.models import AuditEvent, Base, UTCDateTime

BATCH = 5_000


@contextmanager
def replayed(db: Database, seq: int) -> Iterator[Database]:
    """A temporary database holding the records as they stood at audit event `seq`."""
    with tempfile.TemporaryDirectory(prefix="readiness-replay-") as folder:
        url = f"sqlite:///{folder}/past.db"
        # A plain engine: no foreign key checks while rows arrive in chain order.
        writer = create_engine(url)
        try:
            upgrade(writer)
            with db.read() as source, writer.begin() as target:
                _copy_chain(source.connection(), target, seq)
                _restore_records(target, seq)
        finally:
            writer.dispose()
        past = Database(url)
        try:
            yield past
        finally:
            past.dispose()


def _copy_chain(source: Connection, target: Connection, seq: int) -> None:
    """Copy events 1..seq, refusing a chain whose links or hashes do not hold."""
    table = audit.table_of(AuditEvent)
    query = (
        select(table)
        .where(table.c.seq <= seq)
        .order_by(table.c.seq)
        .execution_options(yield_per=BATCH)
    )
    previous, expected, batch = audit.GENESIS, 1, []
    for row in source.execute(query).mappings():
        fields = {k: row[k] for k in ("seq", "at", "actor", "action", "entity", "entity_id")}
        fields |= {k: row[k] for k in ("before", "after", "reason")}
        if row["seq"] != expected or row["prev_hash"] != previous:
            raise UserError(f"the audit trail is broken at event {expected}: cannot wind back")
        if audit.event_hash(previous, fields) != row["hash"]:
            raise UserError(f"audit event {row['seq']} does not match its hash: cannot wind back")
        previous, expected = row["hash"], expected + 1
        batch.append(dict(row))
        if len(batch) >= BATCH:
            target.execute(insert(table), batch)
            batch = []
    if batch:
        target.execute(insert(table), batch)
    if expected - 1 != seq:
        raise UserError(f"the audit trail ends at event {expected - 1}, before {seq}")


def _restore_records(target: Connection, seq: int) -> None:
    """Insert every audited record in its last state at `seq`, children included."""
    events = audit.table_of(AuditEvent)
    last = (
        select(func.max(events.c.seq))
        .where(events.c.seq <= seq)
        .group_by(events.c.entity, events.c.entity_id)
    )
    latest = select(events.c.entity, events.c.after).where(events.c.seq.in_(last))
    models = {audit.table_of(m).name: m for m in audit.audited_models()}
    pending: dict[str, list[dict[str, Any]]] = {}
    for entity, after in target.execute(latest).all():
        model = models.get(entity)
        if model is None or after is None:
            continue  # a table no longer audited, or a record deleted by then
        _collect(model, json.loads(after), pending)
    for name, rows in pending.items():
        table = Base.metadata.tables[name]
        for start in range(0, len(rows), BATCH):
            target.execute(insert(table), rows[start : start + BATCH])


def _collect(
    model: type[Base], state: Mapping[str, Any], pending: dict[str, list[dict[str, Any]]]
) -> None:
    """A snapshot's row, and its children's rows, typed for their tables."""
    table = audit.table_of(model)
    pending.setdefault(table.name, []).append(_typed(table, state))
    for name in model.__audit_children__:
        child_table = audit.table_of(model.__mapper__.relationships[name].mapper.class_)
        for row in state.get(name, []):
            pending.setdefault(child_table.name, []).append(_typed(child_table, row))


def _typed(table: Table, state: Mapping[str, Any]) -> dict[str, Any]:
    """Snapshot values (JSON: ISO dates and instants) as the column types want them."""
    row: dict[str, Any] = {}
    for column in table.columns:
        value = state.get(column.key)
        if value is not None and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        row[column.key] = value
    return row
