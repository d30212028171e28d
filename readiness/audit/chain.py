"""Append-only audit trail chained by SHA-256: append in the writer's transaction, verify."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, event, func, insert, select, text
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.clock import utc_now
from readiness.db import WRITE_OPTION, WRITER_LOCK_KEY
from readiness.models import AuditEvent, Base

GENESIS = "0" * 64
# Key of the PostgreSQL advisory lock that serialises appends to the chain: the writers' lock
# that every write session takes at BEGIN (readiness.db), so one writer at a time.
AUDIT_LOCK_KEY = WRITER_LOCK_KEY
_HEAD = "readiness.audit_head"


def _encode(value: Any) -> Any:
    """JSON form of the non-JSON types that records hold."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot put {type(value).__name__} in an audit snapshot")


def canonical(value: Any) -> str:
    """The one canonical JSON text of a value: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode
    )


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class."""
    return cast(Table, model.__table__)


def audited_models() -> list[type[Base]]:
    """Every mapped class whose rows the audit trail vouches for."""
    classes = [m.class_ for m in Base.registry.mappers]
    return sorted((c for c in classes if c.__audited__), key=lambda c: c.__tablename__)


def _row_snapshot(model: type[Base], values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of a row, with secret columns reduced to a digest."""
    out: dict[str, Any] = {}
    for column in table_of(model).columns:
        value = values[column.key]
        if column.key in model.__audit_redact__ and value is not None:
            value = "sha256:" + _digest(value)
        out[column.key] = value
    return out


def _child_models(model: type[Base]) -> list[tuple[str, type[Base], str]]:
    """(relationship name, child class, child column pointing at the parent)."""
    mapper = model.__mapper__
    out = []
    for name in model.__audit_children__:
        rel = mapper.relationships[name]
        child: type[Base] = rel.mapper.class_
        (fk_col,) = (c for c in rel.remote_side if c.table is table_of(child))
        out.append((name, child, str(fk_col.key)))
    return out


def _children_key(child: type[Base], snapshots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pk = [c.key for c in table_of(child).primary_key.columns]
    return sorted(snapshots, key=lambda s: tuple(s[k] for k in pk))


def snapshot(obj: Base) -> dict[str, Any]:
    """The audited state of a record, including the rows that belong to it."""
    model = type(obj)
    values = {c.key: getattr(obj, c.key) for c in table_of(model).columns}
    out = _row_snapshot(model, values)
    for name, child, _fk in _child_models(model):
        rows = [
            _row_snapshot(child, {c.key: getattr(r, c.key) for c in table_of(child).columns})
            for r in getattr(obj, name)
        ]
        out[name] = _children_key(child, rows)
    return out


def entity_id(obj: Base) -> str:
    """The primary key of a record as text ("12", or "3|7" for composite keys)."""
    cols = table_of(type(obj)).primary_key.columns
    return "|".join(str(getattr(obj, c.key)) for c in cols)


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical form of an event."""
    return _digest(prev_hash + "\n" + canonical(dict(fields)))


def _fields(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after", "reason")
    return {k: row[k] for k in keys}


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_head(session: Session, *_args: Any) -> None:
    session.info.pop(_HEAD, None)


def lock_chain(session: Session) -> None:
    """Queue behind other writers until this transaction ends.

    On PostgreSQL a transaction-level advisory lock, so concurrent writers append one
    after another; SQLite write transactions already hold the lock (BEGIN IMMEDIATE).
    Sessions of Database.write already hold it from BEGIN (readiness.db); this covers
    a session opened another way, so its read and write are still one atomic step.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    if session.connection().get_execution_options().get(WRITE_OPTION):
        return  # taken at BEGIN already: one round trip less per write
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})


def _head(session: Session) -> tuple[int, str]:
    """The last (seq, hash) of the chain, locked for this transaction."""
    cached = session.info.get(_HEAD)
    if cached is not None:
        return cast(tuple[int, str], cached)
    lock_chain(session)
    row = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


@dataclass
class EventSpec:
    """One event to append: what happened to which record, and why."""

    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None = None
    at: datetime | None = None


def _row_for(spec: EventSpec, seq: int, prev_hash: str, at: datetime) -> dict[str, Any]:
    row: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor": spec.actor,
        "action": spec.action,
        "entity": spec.entity,
        "entity_id": spec.entity_id,
        "before": None if spec.before is None else canonical(spec.before),
        "after": None if spec.after is None else canonical(spec.after),
        "reason": spec.reason,
        "prev_hash": prev_hash,
    }
    row["hash"] = event_hash(prev_hash, _fields(row))
    return row


def append_many(session: Session, specs: Iterable[EventSpec]) -> int:
    """Append events in order, in the caller's transaction; returns the new head seq."""
    seq, prev = _head(session)
    now = utc_now()
    rows = []
    for spec in specs:
        seq += 1
        row = _row_for(spec, seq, prev, spec.at or now)
        prev = row["hash"]
        rows.append(row)
    if rows:
        session.execute(insert(AuditEvent), rows)
    session.info[_HEAD] = (seq, prev)
    return seq


def record(
    session: Session,
    action: str,
    obj: Base,
    *,
    actor: str,
    before: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Flush a written record and append its audit event."""
    session.flush()
    spec = EventSpec(
        actor=actor,
        action=action,
        entity=obj.__tablename__,
        entity_id=entity_id(obj),
        before=before,
        after=snapshot(obj),
        reason=reason,
    )
    append_many(session, [spec])


def head(session: Session) -> tuple[int, str]:
    """The chain head (seq, hash) as committed, without taking the append lock."""
    row = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def last_change(session: Session, entity: str, ident: str) -> tuple[str, datetime] | None:
    """Who last changed a record and when (actor, UTC time), from its newest audit event."""
    row = session.execute(
        select(AuditEvent.actor, AuditEvent.at)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == ident)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    return (row.actor, row.at) if row else None


@dataclass
class VerifyResult:
    """What `verify` found: the chain length, its head and the problems."""

    events: int = 0
    head: str = GENESIS
    records: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _walk_chain(session: Session, result: VerifyResult) -> dict[tuple[str, str], bytes | None]:
    """Check links and hashes; return the digest of each record's last audited state."""
    last: dict[tuple[str, str], bytes | None] = {}
    prev, expected = GENESIS, 1
    stmt = select(AuditEvent.__table__).order_by(AuditEvent.seq)
    rows = session.execute(stmt.execution_options(yield_per=5000)).mappings()
    for row in cast(Iterator[Mapping[str, Any]], rows):
        seq = row["seq"]
        if seq != expected:
            result.problems.append(
                f"audit chain broken at sequence {expected}: next event found is {seq}"
                " (an event was deleted)"
            )
            return last
        if row["prev_hash"] != prev:
            result.problems.append(
                f"audit chain broken at sequence {seq}: it does not follow event {seq - 1}"
                " (events were reordered or replaced)"
            )
            return last
        if event_hash(prev, _fields(row)) != row["hash"]:
            result.problems.append(
                f"audit chain broken at sequence {seq}: its content does not match its hash"
                " (the event was edited)"
            )
            return last
        after = row["after"]
        last[(row["entity"], row["entity_id"])] = (
            None if after is None else hashlib.sha256(after.encode()).digest()
        )
        prev, expected = row["hash"], seq + 1
        result.events, result.head = seq, prev
    return last


def _rows_ordered(session: Session, table: Table, order: list[Any]) -> Iterator[Mapping[str, Any]]:
    stmt = select(table).order_by(*order).execution_options(yield_per=5000)
    yield from cast(Iterator[Mapping[str, Any]], session.execute(stmt).mappings())


def _record_snapshots(session: Session, model: type[Base]) -> Iterator[tuple[str, str]]:
    """(entity id, canonical snapshot) of every row of a model, children merged in."""
    table = table_of(model)
    pk = list(table.primary_key.columns)
    children = [
        (name, child, fk, _rows_ordered(session, table_of(child), [table_of(child).c[fk]]))
        for name, child, fk in _child_models(model)
    ]
    pending: dict[str, Mapping[str, Any] | None] = {name: None for name, *_ in children}
    for row in _rows_ordered(session, table, pk):
        snap = _row_snapshot(model, row)
        key = row[pk[0].key]
        for name, child, fk, rows in children:
            mine = []
            nxt = pending[name] if pending[name] is not None else next(rows, None)
            while nxt is not None and nxt[fk] < key:  # orphans of a deleted parent
                nxt = next(rows, None)
            while nxt is not None and nxt[fk] == key:
                mine.append(_row_snapshot(child, nxt))
                nxt = next(rows, None)
            pending[name] = nxt
            snap[name] = _children_key(child, mine)
        yield "|".join(str(row[c.key]) for c in pk), canonical(snap)


def _replay(
    session: Session, last: dict[tuple[str, str], bytes | None], result: VerifyResult
) -> None:
    """Compare every record with its last audited state."""
    for model in audited_models():
        entity = model.__tablename__
        for ident, snap in _record_snapshots(session, model):
            result.records += 1
            expected = last.pop((entity, ident), None)
            if expected is None:
                result.problems.append(
                    f"{entity} {ident}: no audit event records this row"
                    " (inserted behind the application's back)"
                )
            elif hashlib.sha256(snap.encode()).digest() != expected:
                result.problems.append(
                    f"{entity} {ident}: differs from its last audited state"
                    " (changed behind the application's back)"
                )
    entities = {m.__tablename__ for m in audited_models()}
    for (entity, ident), digest in sorted(last.items()):
        if digest is not None and entity in entities:
            result.problems.append(
                f"{entity} {ident}: audited record is missing"
                " (deleted behind the application's back)"
            )


def _double_successors(session: Session, result: VerifyResult) -> None:
    """An evidence record superseded by two current rows (two amendments that raced)."""
    for model in audited_models():
        if not model.__evidence__:
            continue
        table = table_of(model)
        stmt = (
            select(table.c.supersedes_id, func.count())
            .where(table.c.record_state == "current", table.c.supersedes_id.is_not(None))
            .group_by(table.c.supersedes_id)
            .having(func.count() > 1)
            .order_by(table.c.supersedes_id)
        )
        for original, count in session.execute(stmt):
            result.problems.append(
                f"{model.__tablename__} {original}: {count} current records supersede it"
                " (only one correction may be current; void the extra one)"
            )


def verify(session: Session) -> VerifyResult:
    """Walk the chain, replay it against the records, and check each has one current version."""
    result = VerifyResult()
    last = _walk_chain(session, result)
    if result.ok:
        _replay(session, last, result)
    _double_successors(session, result)
    return result


def parse_head(text: str) -> tuple[int, str]:
    """A kept chain head "SEQ:HASH" as (seq, hash); ValueError when it is not one."""
    seq_text, sep, digest = text.strip().partition(":")
    digest = digest.lower()
    if not sep or not seq_text.isdigit() or len(digest) != 64:
        raise ValueError(f"not a chain head {text!r}: expected SEQ:HASH (e.g. 42:9f86d0...)")
    if any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"not a chain head {text!r}: the hash is 64 hexadecimal digits")
    return int(seq_text), digest


def check_head(session: Session, seq: int, digest: str) -> str | None:
    """None when the event at `seq` still has the kept hash, else what is wrong.

    The walk in `verify` proves the chain is consistent, not that it is the chain that
    was there: a rewrite that re-hashes every event passes it. A head kept outside the
    database (the officer's digest e-mail) is what such a rewrite cannot match.
    """
    if seq == 0:
        return None if digest == GENESIS else "the chain head 0 has the genesis hash only"
    found = session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar()
    if found is None:
        return f"the kept chain head {seq} is no longer in the audit trail (events were deleted)"
    if found != digest:
        return (
            f"the audit event at sequence {seq} no longer has the kept hash {digest[:12]}..."
            " (the audit trail was rewritten since that head was kept)"
        )
    return None


def verify_as(session: Session, by: Principal) -> VerifyResult:
    """`verify` for a signed-in user allowed to check the chain (read only)."""
    require(by, "verify_audit")
    return verify(session)
