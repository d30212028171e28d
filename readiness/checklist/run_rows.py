"""A new checklist run written with one INSERT per table, audited as `records.create` does.

A submission writes while it holds the writers' lock, so every tablet waiting waits that
long. Through the ORM's unit of work (`records.create`) the run, its answers and their
ORM objects cost several times the INSERTs themselves, and surviving a collision took a
SAVEPOINT (two more round trips on PostgreSQL). Here the run is one INSERT that skips a
taken key or slot (ON CONFLICT DO NOTHING: the caller says why), the answers one more,
and the objects handed back are built from the values written, as a query would load
them. The audit event is the one `records.create` appends: "create" with the snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from readiness.audit import chain as audit
from readiness.clock import utc_now
from readiness.models import Base, ChecklistResponse, ChecklistRun

M = TypeVar("M", bound=Base)


def insert_run(
    session: Session,
    run: Mapping[str, Any],
    answers: Sequence[Mapping[str, Any]],
    *,
    actor: str,
) -> ChecklistRun | None:
    """Record a new run and its answers with its "create" audit event, in the caller's
    transaction; None, writing nothing, when its idempotency key or its slot is taken.

    `run` and each answer give their columns (the ids and the run's recording columns
    are filled here; a column left out takes its plain default). The run returned is
    detached, with its answers, as if read back: a later change is an amendment.
    """
    connection = session.connection()
    runs, answer_rows = _table(ChecklistRun), _table(ChecklistResponse)
    row = _complete(runs, {**run, "recorded_at": utc_now(), "recorded_by": actor})
    written = connection.execute(_insert_run(connection.dialect.name), row).first()
    if written is None:
        return None
    row["id"] = written.id
    given = [_complete(answer_rows, {**answer, "run_id": row["id"]}) for answer in answers]
    if given:
        # The new ids come back in no promised order: each answer is known by its item.
        ids = {item: ident for item, ident in connection.execute(_INSERT_ANSWERS, given)}
        if len(ids) != len(given):
            raise ValueError("a run's answers must each answer a different item")
        for answer in given:
            answer["id"] = ids[answer["item_id"]]
    stored = _loaded(ChecklistRun, row)
    responses = [_loaded(ChecklistResponse, answer) for answer in given]
    set_committed_value(stored, "responses", responses)
    for response in responses:
        set_committed_value(response, "run", stored)
    spec = audit.EventSpec(
        actor=actor,
        action="create",
        entity=runs.name,
        entity_id=str(row["id"]),
        before=None,
        after=audit.snapshot(stored),
    )
    audit.append_many(session, [spec])
    return stored


def _table(model: type[Base]) -> Table:
    return audit.table_of(model)


def _complete(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """The values with every column but the id: one left out takes its plain default.

    The audit snapshot is taken from these values, so they must be the row as written:
    a column whose default is computed at INSERT time has to be given.
    """
    for column in table.columns:
        if column.primary_key or column.key in values:
            continue
        default = column.default
        if default is not None and not default.is_scalar:
            raise TypeError(f"{table.name}.{column.key}: give it (its default is computed)")
        values[column.key] = None if default is None else getattr(default, "arg", None)
    return values


def _loaded(model: type[M], values: Mapping[str, Any]) -> M:
    """An object of the row as a query would load it: attributes set, nothing to flush."""
    obj = model()
    for key, value in values.items():
        set_committed_value(obj, key, value)
    make_transient_to_detached(obj)
    return obj


@cache
def _insert_run(dialect: str) -> Insert:
    """INSERT of a run that writes nothing when its key or slot is taken, returning its id.

    Without a conflict target, ON CONFLICT DO NOTHING covers every unique index: the
    idempotency key and the partial index of the slot's current run.
    """
    table = _table(ChecklistRun)
    engine = postgresql if dialect == "postgresql" else sqlite
    return engine.insert(table).on_conflict_do_nothing().returning(table.c.id)


_ANSWERS = _table(ChecklistResponse)
_INSERT_ANSWERS = _ANSWERS.insert().returning(_ANSWERS.c.item_id, _ANSWERS.c.id)
