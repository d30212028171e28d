"""Master data histories read as of each row's day: the latest change on or before it.

Before a history's first row, the first row holds (what the record was first known
as); a record without a history keeps its own columns. Ties on a day: the later row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import StockLocationChange
from readiness.rules.due import DATE_DTYPE

# Sorts an unknown start (since before the records) before every real date.
EARLIEST = np.datetime64("0001-01-01", "s")


def as_of_values(
    rows: pd.DataFrame,
    changes: pd.DataFrame,
    key: str,
    fields: Sequence[str],
    as_of: np.ndarray,
) -> pd.DataFrame:
    """`rows` with `fields` replaced by the history's values in force on each row's as_of.

    `changes` has `key`, `id`, `effective_from` and the fields; `as_of` is one date per row.
    """
    if rows.empty or changes.empty:
        return rows
    starts = changes["effective_from"].to_numpy(dtype=DATE_DTYPE)
    ordered = changes.assign(_start=np.where(np.isnat(starts), EARLIEST, starts))
    ordered = ordered.sort_values([key, "_start", "id"], kind="stable")
    asked = pd.DataFrame({key: rows[key].to_numpy(), "_row": np.arange(len(rows)), "_day": as_of})
    pairs = asked.merge(ordered, on=key, how="inner")
    known = pairs[(pairs["_start"] <= pairs["_day"]).to_numpy(dtype=bool)]
    # Latest known row per asked row; rows asked before the first change take the first.
    latest = known.drop_duplicates("_row", keep="last")
    first = pairs.drop_duplicates("_row", keep="first")
    chosen = pd.concat([latest, first[~first["_row"].isin(latest["_row"])]])
    out = rows.copy()
    positions = chosen["_row"].to_numpy(dtype=np.int64)
    for name in fields:
        column = out[name].to_numpy(dtype=object).copy()
        column[positions] = chosen[name].to_numpy(dtype=object)
        out[name] = pd.Series(column, index=out.index).astype(rows[name].dtype)
    return out


def in_force(history: Sequence[tuple[date | None, int, Any]], day: date) -> Any | None:
    """The value of (effective_from, id, value) rows in force on a day (None: no history)."""
    ordered = sorted(history, key=lambda row: (row[0] or date.min, row[1]))
    known = [row for row in ordered if row[0] is None or row[0] <= day]
    chosen = known[-1] if known else (ordered[0] if ordered else None)
    return None if chosen is None else chosen[2]


def locations_on(session: Session, site_id: int, day: date) -> dict[tuple[str, str], str]:
    """Where each lot of a site was kept on a day, by (item, lot number), from the
    location history (lots without one are absent: their own column holds)."""
    query = select(
        StockLocationChange.item,
        StockLocationChange.lot_number,
        StockLocationChange.effective_from,
        StockLocationChange.id,
        StockLocationChange.location,
    ).where(StockLocationChange.site_id == site_id)
    rows: dict[tuple[str, str], list[tuple[date | None, int, Any]]] = {}
    for item, lot_number, since, pk, location in session.execute(query):
        rows.setdefault((item, lot_number), []).append((since, pk, location))
    return {lot: str(in_force(history, day)) for lot, history in rows.items()}
