"""The engine's reads type each column from the driver's own values (ISO text on SQLite,
date and datetime objects on PostgreSQL) the same way on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Date,
    Integer,
    String,
    false,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)

from readiness.compliance.frames import read_frame
from readiness.db import Database
from readiness.models import UTCDateTime


def _rows() -> CompoundSelect[Any]:
    """Two rows: every type with a value, then the same columns empty where they may be."""
    signed = datetime(2026, 3, 1, 23, 30, 15, 250000, tzinfo=UTC)
    given = select(
        literal(date(2026, 3, 1), Date).label("day"),
        type_coerce(null(), Date).label("never"),
        literal(7, Integer).label("count"),
        literal(3, Integer).label("always"),
        literal(True, Boolean).label("flag"),
        literal("kit", String).label("name"),
        literal(signed, UTCDateTime()).label("signed_at"),
    )
    empty = select(
        type_coerce(null(), Date),
        type_coerce(null(), Date),
        type_coerce(null(), Integer),
        literal(4, Integer),
        literal(False, Boolean),
        type_coerce(null(), String),
        literal(signed.replace(day=2), UTCDateTime()),
    )
    return union_all(given, empty)


def test_each_column_has_the_engine_dtype_and_values(db: Database) -> None:
    with db.read() as session:
        frame = read_frame(session, _rows())
    frame = frame.sort_values("always", ignore_index=True)
    assert str(frame["day"].dtype) == "datetime64[s]"
    assert frame["day"].iloc[0] == pd.Timestamp("2026-03-01")
    assert pd.isna(frame["day"].iloc[1])
    assert str(frame["never"].dtype) == "datetime64[s]"
    assert frame["never"].isna().all()
    # A missing number makes the column nullable; a full one stays plain int64.
    assert str(frame["count"].dtype) == "Int64"
    assert frame["count"].iloc[0] == 7 and pd.isna(frame["count"].iloc[1])
    assert frame["always"].dtype == np.int64
    assert frame["flag"].tolist() == [True, False]
    assert frame["name"].iloc[0] == "kit" and pd.isna(frame["name"].iloc[1])
    assert str(frame["signed_at"].dtype).startswith("datetime64[") and "UTC" in str(
        frame["signed_at"].dtype
    )
    assert frame["signed_at"].iloc[0] == pd.Timestamp("2026-03-01 23:30:15.25", tz="UTC")


def test_no_rows_still_give_the_dtypes(db: Database) -> None:
    with db.read() as session:
        frame = read_frame(session, select(_rows().subquery()).where(false()))
    assert frame.empty
    assert str(frame["day"].dtype) == "datetime64[s]"
    assert frame["always"].dtype == np.int64
