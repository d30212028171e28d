"""Append-only audit trail chained by SHA-256: append in the writer's transaction, verify."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


# One encoder for every call: json.dumps would build a new one each time. Snapshots hold
# no cycles, so the circular-reference bookkeeping is skipped.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode, check_circular=False
)
# How canonical() writes a str (ensure_ascii=False): quotes, backslashes and control
# characters escaped, everything else as it is.
_json_text = json.encoder.encode_basestring


def canonical(value: Any) -> str:
    """The one canonical JSON text of a value: sorted keys, no spaces, UTF-8."""
    return _CANONICAL.encode(value)


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


FIELDS = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after", "reason")


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical form of an event."""
    return _digest(prev_hash + "\n" + _event_text([fields[k] for k in FIELDS]))


def _event_text(values: Sequence[Any]) -> str:
    """canonical() of an event's fields (values in FIELDS order), written out for the usual types.

    Millions of events are hashed when a large practice is written or verified; the
    generic encoder spends most of that time on the dict of nine fields. The keys are
    in sorted order below, each str written as canonical() writes it; anything else
    goes through canonical() itself, so the text is the same either way.
    """
    seq, at, actor, action, entity, entity_id, before, after, reason = values
    usual = (
        type(seq) is int
        and type(at) is datetime
        and at.year >= 1000
        and type(actor) is str
        and type(action) is str
        and type(entity) is str
        and type(entity_id) is str
        and (before is None or type(before) is str)
        and (after is None or type(after) is str)
        and (reason is None or type(reason) is str)
    )
    if not usual:
        return canonical(dict(zip(FIELDS, values, strict=True)))
    return (
        f'{{"action":{_json_text(action)},"actor":{_json_text(actor)},'
        f'"after":{_optional(after)},"at":"{_instant(at)}","before":{_optional(before)},'
        f'"entity":{_json_text(entity)},"entity_id":{_json_text(entity_id)},'
        f'"reason":{_optional(reason)},"seq":{seq}}}'
    )


def _optional(text: str | None) -> str:
    return "null" if text is None else _json_text(text)


def _instant(value: datetime) -> str:
    """_encode's text of an instant (isoformat is several times cheaper than strftime)."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


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
    row = session.connection().execute(_HEAD_ROW).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


# Built once and run on the connection: every audited write reads the head, and building
# the statement and running it through the ORM cost more than the read itself.
_HEAD_ROW = select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)


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


# The audit_events columns in the order _event_row gives them.
COLUMNS = (*FIELDS, "prev_hash", "hash")
# Events per INSERT batch or COPY.
BATCH = 10_000
# Up to this many events go to PostgreSQL as INSERTs rather than COPY.
_FEW = 20


def _event_row(spec: EventSpec, seq: int, prev_hash: str, at: datetime) -> tuple[Any, ...]:
    """One audit_events row (COLUMNS), hashed onto prev_hash."""
    fields = (
        seq,
        at,
        spec.actor,
        spec.action,
        spec.entity,
        spec.entity_id,
        None if spec.before is None else canonical(spec.before),
        None if spec.after is None else canonical(spec.after),
        spec.reason,
    )
    return (*fields, prev_hash, _digest(prev_hash + "\n" + _event_text(fields)))


def append_many(session: Session, specs: Iterable[EventSpec]) -> int:
    """Append events in order, in the caller's transaction; returns the new head seq."""
    seq, prev = _head(session)
    now = utc_now()
    rows: list[tuple[Any, ...]] = []
    for spec in specs:
        seq += 1
        row = _event_row(spec, seq, prev, spec.at or now)
        prev = row[-1]
        rows.append(row)
        if len(rows) == BATCH:
            _insert(session, rows)
            rows = []
    if rows:
        _insert(session, rows)
    session.info[_HEAD] = (seq, prev)
    return seq


def _insert(session: Session, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert event rows in the session's transaction, through the driver in bulk.

    Bulk writers (imports, the demo) append hundreds of thousands of events: SQLAlchemy's
    per-row parameter handling would cost more than the database's own insert. The
    instant is bound as UTCDateTime binds it.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    driver = connection.connection.driver_connection
    names = ", ".join(COLUMNS)
    if dialect == "sqlite" and driver is not None:
        at = COLUMNS.index("at")
        stored = [(*row[:at], _stored_instant(row[at]), *row[at + 1 :]) for row in rows]
        marks = ", ".join("?" * len(COLUMNS))
        driver.executemany(f"INSERT INTO audit_events ({names}) VALUES ({marks})", stored)
    elif dialect == "postgresql" and driver is not None and len(rows) <= _FEW:
        # A few INSERTs cost fewer round trips than COPY's two: a submission appends
        # its event while it holds the writers' lock, and every other writer waits.
        marks = ", ".join(["%s"] * len(COLUMNS))
        with driver.cursor() as cursor:
            cursor.executemany(f"INSERT INTO audit_events ({names}) VALUES ({marks})", rows)
    elif dialect == "postgresql" and driver is not None:
        # COPY: psycopg's executemany would send one INSERT per row.
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY audit_events ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        session.execute(
            insert(table_of(AuditEvent)), [dict(zip(COLUMNS, r, strict=True)) for r in rows]
        )


def _stored_instant(value: datetime) -> str:
    """An instant as UTCDateTime stores it on SQLite (fixed-width UTC text)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: instants must be timezone-aware")
    if value.year < 1000:  # isoformat and strftime pad such years differently
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


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
        if event_hash(prev, row) != row["hash"]:
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
