"""Things done again every interval (service, drills, document reviews): due date, status,
sentence, for rows of several requirements at once."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from readiness.compliance.detail import iso, pick, span
from readiness.compliance.table import per_row, windows
from readiness.policy.requirements import DocumentRequirement, DrillRequirement, IntervalRequirement
from readiness.rules.due import days_until_series, due_status_series, next_due_series
from readiness.rules.status import Status

Recurring = IntervalRequirement | DrillRequirement | DocumentRequirement


def next_due(
    rows: pd.DataFrame,
    requirements: Sequence[Recurring],
    last_done_on: pd.Series,
    months: pd.Series | None = None,
) -> pd.Series:
    """Due date an interval after each row's last done date; `months` (NA: none) overrides."""
    policy_months = pd.to_numeric(per_row(rows, [r.interval.months for r in requirements]))
    if months is not None:
        policy_months = months.astype("Float64").fillna(policy_months)
    due = next_due_series(last_done_on, months=policy_months)
    by_days = policy_months.isna()
    if by_days.any():
        days = pd.to_numeric(per_row(rows, [r.interval.days for r in requirements]))
        due = due.where(~by_days, next_due_series(last_done_on, days=days))
    return due


def judge(
    rows: pd.DataFrame,
    requirements: Sequence[Recurring],
    due_on: pd.Series,
    last_done_on: pd.Series,
    *,
    what: pd.Series,
    verb: str,
    none: pd.Series,
) -> tuple[pd.Series, pd.Series]:
    """Status and sentence, e.g. "Fire drill overdue since 2026-03-03 (last held 2025-12-03)"."""
    status = due_status_series(due_on, rows["as_of"], per_row(rows, windows(requirements)))
    due, since = iso(due_on), f" (last {verb} " + iso(last_done_on) + ")"
    left = span(days_until_series(due_on, rows["as_of"]))
    detail = pick(
        status,
        {
            Status.MISSING: none,
            Status.OVERDUE: what + " overdue since " + due + since,
            Status.DUE_SOON: what + " due " + due + ", " + left + since,
        },
        default=what + " due " + due + since,
    )
    return status, detail
