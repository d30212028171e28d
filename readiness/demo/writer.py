"""Chronological bulk writer: records and their audit events, in time order, in bulk.

The demo produces records out of time order (one site's year, then the next
site's), but the audit trail should read like a real practice's: in time order.
Records therefore wait in a heap keyed by their time; `flush(before)` emits
everything older than `before`: it assigns primary keys in time order, resolves
links between records, computes the audited snapshot of each row exactly as
`audit.verify` will recompute it from the stored row, inserts the rows in bulk
and appends the audit events with `audit.append_many`.

A record's later life (a corrective action closed, an asset taken out of service)
is given as `Change`s: the row is inserted in its final state, while the audit
trail holds the create event with the first state and one update per change, at
the change's own time.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import operator
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final, cast

from sqlalchemy import Boolean, Date, DateTime, Table, func, insert, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.models import (
    Asset,
    AssetStatusChange,
    Base,
    Certification,
    ChecklistResponse,
    ChecklistRun,
    ChecklistTemplateVersion,
    CorrectiveAction,
    Drill,
    DrillParticipant,
    Incident,
    IncidentFollowup,
    ServiceEvent,
    Site,
    SiteDocument,
    Staff,
    StockLot,
    UTCDateTime,
)

ACTOR: Final = "demo"
CHUNK: Final = 10_000

# Parents before children, so that foreign keys hold within every flush.
TABLE_ORDER: Final[tuple[type[Base], ...]] = (
    Site,
    Staff,
    Asset,
    AssetStatusChange,
    ChecklistTemplateVersion,
    StockLot,
    Certification,
    ServiceEvent,
    Drill,
    DrillParticipant,
    SiteDocument,
    ChecklistRun,
    ChecklistResponse,
    Incident,
    IncidentFollowup,
    CorrectiveAction,
)
# Which table group each table's insert time is reported under.
GROUPS: Final = {
    Site: "practice",
    Staff: "practice",
    Asset: "practice",
    AssetStatusChange: "practice",
    ChecklistTemplateVersion: "practice",
    StockLot: "practice",
    Certification: "certifications",
    ServiceEvent: "equipment",
    Drill: "drills",
    DrillParticipant: "drills",
    SiteDocument: "documents",
    ChecklistRun: "checklists",
    ChecklistResponse: "checklists",
    Incident: "incidents",
    IncidentFollowup: "incidents",
    CorrectiveAction: "corrective_actions",
}


@dataclass
class Change:
    """A later change to a record: new column values, when, and why."""

    at: datetime
    values: dict[str, Any]
    reason: str


@dataclass(eq=False)
class Rec:
    """One record to write: its first state, children, links to other records, changes."""

    model: type[Base]
    at: datetime
    row: dict[str, Any]
    children: list[dict[str, Any]] = field(default_factory=list)
    # column -> record whose primary key goes in that column (known only once emitted)
    links: dict[str, Rec] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    reason: str | None = None

    @property
    def id(self) -> int:
        """The primary key, once assigned."""
        return int(self.row["id"])


@dataclass(frozen=True)
class _Shape:
    """What the writer needs to know about one audited model."""

    columns: tuple[str, ...]
    column_set: frozenset[str]
    redact: frozenset[str]
    child: type[Base] | None
    child_name: str | None
    child_fk: str | None
    child_columns: tuple[str, ...]
    child_has_id: bool
    # Columns holding instants and dates, put in the snapshot in their audited JSON form.
    instants: tuple[str, ...]
    days: tuple[str, ...]


def _columns(model: type[Base]) -> tuple[str, ...]:
    return tuple(c.key for c in model.__table__.columns)


def _typed(model: type[Base], *kinds: type[Any]) -> tuple[str, ...]:
    return tuple(c.key for c in model.__table__.columns if isinstance(c.type, kinds))


def audited_instant(value: datetime) -> str:
    """An instant as the audit trail's canonical JSON writes it (`...T14:00:00.000000Z`).

    isoformat is several times cheaper than strftime, which the chain would call
    for each of the millions of instants a large demo writes.
    """
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: instants must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def stored_instant(value: datetime) -> str:
    """An instant as `UTCDateTime` stores it on SQLite (fixed-width UTC text)."""
    if value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: instants must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _shape(model: type[Base]) -> _Shape:
    """Columns, redactions and the (at most one) child collection of a model."""
    child = name = fk = None
    for rel_name in model.__audit_children__:
        rel = model.__mapper__.relationships[rel_name]
        child = rel.mapper.class_
        name = rel_name
        (fk_col,) = (c for c in rel.remote_side if c.table is child.__table__)
        fk = fk_col.key
    child_cols = _columns(child) if child is not None else ()
    return _Shape(
        columns=_columns(model),
        column_set=frozenset(_columns(model)),
        redact=model.__audit_redact__,
        child=child,
        child_name=name,
        child_fk=fk,
        child_columns=child_cols,
        child_has_id="id" in child_cols,
        instants=_typed(model, UTCDateTime, DateTime),
        days=_typed(model, Date),
    )


class Writer:
    """Emits records in time order with their audit events, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.next_id = {m: _max_id(session, m) + 1 for m in TABLE_ORDER if "id" in _columns(m)}
        self.counts: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.events = 0
        self._shapes = {m: _shape(m) for m in TABLE_ORDER}
        self._heap: list[tuple[datetime, int, Rec | audit.EventSpec]] = []
        self._order = itertools.count()

    def add(self, rec: Rec) -> None:
        """Queue a record; it is written by the first flush past its time."""
        heapq.heappush(self._heap, (rec.at, next(self._order), rec))

    def add_all(self, recs: Iterable[Rec]) -> None:
        """Queue records in the given order (ties in time keep that order)."""
        for rec in recs:
            self.add(rec)

    def flush(self, before: datetime | None = None) -> None:
        """Write every queued record and event older than `before` (all when None)."""
        started = time.perf_counter()
        rows: dict[type[Base], list[dict[str, Any]]] = defaultdict(list)
        # The audited state of each row as inserted: its instants and dates already as text.
        states: dict[type[Base], list[dict[str, Any]]] = defaultdict(list)
        specs: list[audit.EventSpec] = []
        heap = self._heap
        while heap and (before is None or heap[0][0] < before):
            _at, _n, item = heapq.heappop(heap)
            if isinstance(item, audit.EventSpec):
                specs.append(item)
            else:
                self._emit(item, rows, states, specs)
        self.seconds["snapshots"] += time.perf_counter() - started
        for model in TABLE_ORDER:
            if rows.get(model):
                self._insert(model, rows[model], states.get(model))
        started = time.perf_counter()
        audit.append_many(self.session, specs)
        self.events += len(specs)
        self.seconds["audit"] += time.perf_counter() - started

    def _emit(
        self,
        rec: Rec,
        rows: dict[type[Base], list[dict[str, Any]]],
        states: dict[type[Base], list[dict[str, Any]]],
        specs: list[audit.EventSpec],
    ) -> None:
        """Assign keys, resolve links, queue the rows and the record's audit events."""
        model, row, shape = rec.model, rec.row, self._shapes[rec.model]
        if "id" not in row:
            row["id"] = self.next_id[model]
            self.next_id[model] += 1
        for column, target in rec.links.items():
            row[column] = target.id
        # Columns the demo does not fill (effective dates it leaves unknown) are NULL.
        if not row.keys() >= shape.column_set:
            for column in shape.columns:
                row.setdefault(column, None)
        children = self._children(rec, shape)
        entity, ident = model.__tablename__, str(row["id"])
        state = self._snapshot(row, shape, children)
        specs.append(
            audit.EventSpec(ACTOR, "create", entity, ident, None, state, rec.reason, rec.at)
        )
        for change in sorted(rec.changes, key=lambda c: c.at) if rec.changes else ():
            row.update(change.values)
            after = self._snapshot(row, shape, children)
            # A change dated before its record was entered is entered with it.
            at = max(change.at, rec.at)
            spec = audit.EventSpec(ACTOR, "update", entity, ident, state, after, change.reason, at)
            heapq.heappush(self._heap, (at, next(self._order), spec))
            state = after
        rows[model].append(row)
        states[model].append(state)
        if shape.child is not None:
            rows[shape.child].extend(children)
        self.counts[model.__tablename__] += 1

    def _children(self, rec: Rec, shape: _Shape) -> list[dict[str, Any]]:
        """Child rows with their parent key and their own keys, in primary-key order."""
        if shape.child is None:
            return []
        assert shape.child_fk is not None
        parent, fk = rec.row["id"], shape.child_fk
        children = rec.children
        if shape.child_has_id:
            first = self.next_id[shape.child]
            for ident, child in enumerate(children, first):
                child[fk] = parent
                child["id"] = ident
            self.next_id[shape.child] = first + len(children)
        else:
            for child in children:
                child[fk] = parent
            # Composite keys (drill_id, staff_pk): audit snapshots sort children by key.
            children.sort(key=lambda c: tuple(c[k] for k in shape.child_columns))
        self.counts[shape.child.__tablename__] += len(children)
        return children

    @staticmethod
    def _snapshot(
        row: dict[str, Any], shape: _Shape, children: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """The audited state of a row: what `audit.snapshot` computes from the stored row."""
        snap = {key: row[key] for key in shape.columns}
        # A run's submitted_at and recorded_at are one object: written out once.
        last: datetime | None = None
        written = ""
        for key in shape.instants:
            value = snap[key]
            if value is not None:
                if value is not last:
                    last, written = value, audited_instant(value)
                snap[key] = written
        for key in shape.days:
            if snap[key] is not None:
                snap[key] = snap[key].isoformat()
        for key in shape.redact:
            if snap[key] is not None:
                snap[key] = "sha256:" + hashlib.sha256(str(snap[key]).encode()).hexdigest()
        if shape.child_name is not None:
            # Child rows hold exactly their columns and are not changed after this.
            snap[shape.child_name] = children
        return snap

    def _insert(
        self,
        model: type[Base],
        rows: list[dict[str, Any]],
        states: list[dict[str, Any]] | None,
    ) -> None:
        """Bulk insert in the session's transaction: COPY on PostgreSQL, executemany elsewhere.

        `states` are the rows' audited states (None for child rows), whose text of each
        instant and date SQLite stores almost as it is.
        """
        started = time.perf_counter()
        dialect = self.session.get_bind().dialect
        if dialect.name == "postgresql":
            self._copy(model, rows)
        elif dialect.name == "sqlite":
            self._executemany(model, rows, states, dialect)
        else:
            statement = insert(cast(Table, model.__table__))
            for offset in range(0, len(rows), CHUNK):
                self.session.execute(statement, rows[offset : offset + CHUNK])
        self.seconds[f"insert {GROUPS[model]}"] += time.perf_counter() - started

    def _copy(self, model: type[Base], rows: list[dict[str, Any]]) -> None:
        """COPY rows in: psycopg's executemany sends one INSERT per row, several times slower.

        Values go in as Python objects (aware UTC datetimes, dates, bools), which
        psycopg adapts as the column types' bind processing would.
        """
        columns = self._shapes[model].columns if model in self._shapes else _columns(model)
        names = ", ".join(f'"{name}"' for name in columns)
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f'COPY "{model.__tablename__}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([row[name] for name in columns])

    def _executemany(
        self,
        model: type[Base],
        rows: list[dict[str, Any]],
        states: list[dict[str, Any]] | None,
        dialect: Dialect,
    ) -> None:
        """The driver's executemany over plain tuples, column values bound as a Core insert
        binds them: SQLAlchemy's per-row parameter handling costs more than SQLite's insert."""
        columns = _columns(model)
        binders = _binders(model, dialect)
        names = ", ".join(f'"{name}"' for name in columns)
        marks = ", ".join("?" * len(columns))
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        statement = f'INSERT INTO "{model.__tablename__}" ({names}) VALUES ({marks})'
        if len(columns) > 1 and all(bind is None for bind in binders):
            # Answers, participants: values as they are, one C call per row.
            driver.executemany(statement, map(operator.itemgetter(*columns), rows))
            return
        values = []
        for name, bind in zip(columns, binders, strict=True):
            if states is not None and bind is date.isoformat:
                # The audited text of a date is what SQLite stores.
                values.append([state[name] for state in states])
            elif states is not None and bind is stored_instant:
                # Formatting an instant costs more than inserting it: the audited text
                # `...T14:00:00.000000Z` is stored as `...T14:00:00.000000+00:00`.
                texts = [state[name] for state in states]
                values.append([None if t is None else t[:-1] + "+00:00" for t in texts])
            elif bind is not None:
                values.append([None if row[name] is None else bind(row[name]) for row in rows])
            else:
                values.append([row[name] for row in rows])
        driver.executemany(statement, zip(*values, strict=True))

    def finish(self) -> None:
        """After explicit keys on PostgreSQL, move each id sequence past the largest key."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for model in self.next_id:
            table = model.__tablename__
            self.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )
            )


def _binders(model: type[Base], dialect: Dialect) -> list[Callable[[Any], Any] | None]:
    """Per column, what turns a Python value into the driver's (None: passed as it is)."""
    found: list[Callable[[Any], Any] | None] = []
    for column in model.__table__.columns:
        if isinstance(column.type, UTCDateTime):
            found.append(stored_instant)
        elif isinstance(column.type, Date):
            found.append(date.isoformat)
        elif isinstance(column.type, Boolean) and dialect.name == "sqlite":
            # The driver binds a bool as the integer SQLAlchemy's processor makes of it.
            found.append(None)
        else:
            found.append(column.type.bind_processor(dialect))
    return found


def _max_id(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.coalesce(func.max(model.__table__.c.id), 0))) or 0)
