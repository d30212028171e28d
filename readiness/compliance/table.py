"""The compliance items table: its columns, and the per-requirement figures its rows need.

Each requirement kind is judged in one pass over all of its requirements: rows carry
a `requirement` column, and figures that differ by requirement (warning window,
interval, how an expiry date reads) are mapped onto the rows from the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from readiness.policy.pack import Policy
from readiness.policy.requirements import Requirement
from readiness.rules.due import DATE_DTYPE

COLUMNS = (
    "site",
    "category",
    "requirement",
    "subject_type",
    "subject",
    "status",
    "due_on",
    "last_done_on",
    "detail",
)
# What each kind's judgement returns; category and subject_type come from the policy.
JUDGED = ("site", "requirement", "subject", "status", "due_on", "last_done_on", "detail")
# One kind's judgement: a column of JUDGED per name, as arrays of equal length.
Verdicts = dict[str, np.ndarray]


def per_row(rows: pd.DataFrame, figures: Sequence[Any]) -> pd.Series:
    """Each row's figure: `figures[i]` belongs to the i-th requirement (rows carry `rq`)."""
    values = np.asarray(figures)
    if values.dtype.kind == "U":
        values = values.astype(object)
    return pd.Series(values[rows["rq"].to_numpy()], index=rows.index)


def by_id(frame: pd.DataFrame, figures: Mapping[str, Any]) -> pd.Series:
    """Each row's figure looked up by its requirement id, for frames without `rq`."""
    position = pd.Index(list(figures)).get_indexer(pd.Index(frame["requirement"]))
    values = np.asarray([*figures.values(), None], dtype=object)
    return pd.Series(values[position], index=frame.index)


def windows(requirements: Iterable[Requirement]) -> list[int]:
    """Each requirement's warning window in days, in order."""
    return [r.warning_window for r in requirements]


def judged(
    rows: pd.DataFrame,
    *,
    status: pd.Series,
    detail: pd.Series,
    due_on: pd.Series | None = None,
    last_done_on: pd.Series | None = None,
) -> Verdicts:
    """The JUDGED columns: site, requirement and subject of `rows`, and the verdict."""
    no_dates = np.full(len(rows), np.datetime64("NaT"), dtype=DATE_DTYPE)
    # Plain arrays: the table is built once from every kind's verdicts (see `table_of`).
    return {
        "site": rows["site"].to_numpy(dtype=object),
        "requirement": rows["requirement"].to_numpy(dtype=object),
        "subject": rows["subject"].to_numpy(dtype=object),
        "status": status.to_numpy(dtype=object),
        "due_on": no_dates if due_on is None else due_on.to_numpy(dtype=DATE_DTYPE),
        "last_done_on": (
            no_dates if last_done_on is None else last_done_on.to_numpy(dtype=DATE_DTYPE)
        ),
        "detail": detail.to_numpy(dtype=object),
    }


def joined(verdicts: Sequence[Verdicts]) -> Verdicts:
    """Several kinds' verdicts as one."""
    return {column: np.concatenate([v[column] for v in verdicts]) for column in JUDGED}


def table_of(verdicts: Verdicts) -> pd.DataFrame:
    """The verdicts as a DataFrame (text columns still of object dtype)."""
    return pd.DataFrame(
        {
            column: pd.Series(values, dtype=object) if values.dtype == object else values
            for column, values in verdicts.items()
        }
    )


def finished(frame: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The judged rows with category and subject_type, in COLUMNS order (text columns
    still of object dtype: the caller gives them their storage, once)."""
    requirements = policy.requirements.values()
    return frame.assign(
        category=by_id(frame, {r.id: r.category for r in requirements}),
        subject_type=by_id(frame, {r.id: r.subject for r in requirements}),
    )[list(COLUMNS)]


def no_items() -> pd.DataFrame:
    """The table with no rows, with its dtypes."""
    return pd.DataFrame(
        {
            column: pd.Series(dtype=DATE_DTYPE if column.endswith("_on") else "str")
            for column in COLUMNS
        }
    )
