"""Query results as typed pandas frames, and the instant types both engines agree on."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    String,
    cast,
    false,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from readiness.models import (
    ChecklistRun,
    UTCDateTime,
)
from readiness.policy.pack import Policy
from readiness.policy.requirements import (
    ChecklistRequirement,
)
from readiness.policy.templates import Template
from readiness.rules.due import DATE_DTYPE

Query = Select[*tuple[Any, ...]]
Statement = Query | CompoundSelect[*tuple[Any, ...]]
CURRENT = "current"
# Days of checklist history before as_of that can hold the latest slot whose day has
# ended (the previous open day of a site open once a week, the previous week's slot,
# the previous month's slot); the same span after as_of holds the next slot.
SLOT_SPAN = {"daily": 7, "weekly": 14, "monthly": 62}


def lookup(table: pd.Series, keys: pd.Series) -> pd.Series:
    """table[key] for each key (NA where absent), aligned with `keys`; keeps table's dtype."""
    # A positional take: Series.map or reindex cost far more, and map turns an empty
    # table into floats.
    position = table.index.get_indexer(pd.Index(keys))
    values = table.array.take(position, allow_fill=True)
    return pd.Series(values, index=keys.index, name=table.name)


# --- helpers ----------------------------------------------------------------------


def run_windows(
    policy: Policy, templates: Mapping[str, Template], first_day: date
) -> dict[str, date]:
    """Per scheduled template that fills a checklist requirement: the first slot date needed.

    A template's runs are read as far back as the longest-period requirement it fills
    needs (a week for daily slots, two months for monthly ones).
    """
    spans: dict[str, int] = {}
    for requirement in policy.of_kind(ChecklistRequirement):
        for template in templates.values():
            if template.frequency != "per_use" and requirement.id in template.satisfies:
                span = SLOT_SPAN[requirement.frequency]
                spans[template.id] = max(span, spans.get(template.id, 0))
    return {t: first_day - timedelta(days=span) for t, span in sorted(spans.items())}


def instant(column: Any, session: Session) -> Any:
    """A UTC instant column read in bulk form: ISO text on SQLite, epoch seconds elsewhere."""
    # Parsing whole columns in pandas beats converting each value to a datetime.
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(column, IsoInstant())
    return cast(func.extract("epoch", column), EpochInstant())


class IsoInstant(String):
    """Marks a column of ISO 8601 UTC text (how UTCDateTime stores instants on SQLite)."""


class EpochInstant(Float):
    """Marks a column of seconds since 1970-01-01 UTC."""


def no_runs(session: Session) -> Query:
    """The shape of the runs query, selecting nothing (no template fills a requirement)."""
    return select(
        ChecklistRun.site_id,
        ChecklistRun.template_id,
        ChecklistRun.asset_pk,
        ChecklistRun.slot_date,
        instant(ChecklistRun.submitted_at, session).label("submitted_at"),
    ).where(false())


def read_frame(session: Session, query: Statement) -> pd.DataFrame:
    """The query's rows as a DataFrame typed by its SQL column types (also when empty)."""
    # A Core execute skips the ORM's per-row bookkeeping. The driver's own values are
    # read (ISO text for dates on SQLite) and each column is converted whole in `_typed`,
    # instead of SQLAlchemy converting every value on its way out.
    result = session.connection().execute(query)
    names = list(result.keys())
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    types = [column.type for column in query.selected_columns]
    return pd.DataFrame(
        {
            name: _typed(values, kind)
            for name, values, kind in zip(names, columns, types, strict=True)
        }
    )


def _typed(values: tuple[Any, ...], kind: TypeEngine[Any]) -> Any:
    """A column of driver values as the engine's dtypes: dates, UTC instants, nullable
    integers, booleans, text."""
    if isinstance(kind, IsoInstant):
        return pd.to_datetime(pd.Series(values, dtype="str"), utc=True, format="ISO8601")
    if isinstance(kind, EpochInstant):
        return pd.to_datetime(np.array(values, dtype="float64"), unit="s", utc=True)
    if isinstance(kind, UTCDateTime | DateTime):
        # ISO 8601 text on SQLite (see UTCDateTime), aware datetimes elsewhere.
        return pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
    if isinstance(kind, Date):
        return _days(values)
    if isinstance(kind, Boolean):
        return np.array(values, dtype=bool)
    if isinstance(kind, Integer):
        # Plain int64 where no value is missing: nullable integers are far slower to join on.
        numbers = np.array(values) if values else np.zeros(0, np.int64)
        return numbers if numbers.dtype.kind == "i" else pd.array(values, dtype="Int64")
    return pd.array(values, dtype="str")


def _days(values: tuple[Any, ...]) -> Any:
    """A column of dates (ISO text on SQLite, date objects elsewhere; None: unknown)."""
    first = next((value for value in values if value is not None), None)
    if first is None:
        return np.full(len(values), np.datetime64("NaT"), dtype=DATE_DTYPE)
    if isinstance(first, str):
        # numpy reads "YYYY-MM-DD" text several times faster than pandas parses it.
        text = ["NaT" if value is None else value for value in values]
        try:
            return np.array(text, dtype="datetime64[D]").astype(DATE_DTYPE)
        except (TypeError, ValueError):
            pass  # not all plain dates: the general parser below
    return pd.to_datetime(pd.Series(values, dtype=object)).to_numpy(dtype=DATE_DTYPE)


def day_of(value: Any) -> date:
    """A DATE_DTYPE scalar as a date."""
    return pd.Timestamp(value).date()
