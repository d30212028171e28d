"""The officer's morning page: headline figures, readiness matrix, lists of what needs doing.

Every function takes the compliance items table (`readiness.compliance.COLUMNS`)
or the scenario table, already read; `todays` maps site code to its local date.
`daily` names the requirements owed every open day (`compliance.checklists.every_open_day`):
they are due today or tomorrow, every day, so they are listed as due today and never
counted as "due in 30 days".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

import pandas as pd

from readiness.compliance.checklists import every_open_day
from readiness.policy.current import current_policy
from readiness.rules.status import BLOCKING, SEVERITY, Status

NOT_OK: Final = tuple(
    str(s) for s in (*sorted(BLOCKING, key=SEVERITY.__getitem__, reverse=True), Status.DUE_SOON)
)
HEADLINE_STATUSES: Final = ("overdue", "expired", "missing", "failed")
WINDOWS: Final = (30, 60, 90)
LIST_COLUMNS: Final = [
    "site",
    "status",
    "requirement",
    "subject",
    "category",
    "due_on",
    "days_left",
    "detail",
]


def days_left(items: pd.DataFrame, todays: Mapping[str, date]) -> pd.Series:
    """Whole days from each site's today to the item's due date (NA without a date)."""
    today = pd.to_datetime(items["site"].map(dict(todays)))
    left = (pd.to_datetime(items["due_on"]) - today).dt.days
    return left.astype("Int64")


def with_days_left(items: pd.DataFrame, todays: Mapping[str, date]) -> pd.DataFrame:
    """The items with a days_left column, dates as dates."""
    return items.assign(days_left=days_left(items, todays), due_on=_dates(items["due_on"]))


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.date


def headline(
    items: pd.DataFrame,
    todays: Mapping[str, date],
    open_actions: int,
    daily: Collection[str] = (),
) -> dict[str, int]:
    """Counts for the metric row: each bad status, due today, due in 30 days, open actions."""
    counts = items["status"].value_counts()
    figures = {status: int(counts.get(status, 0)) for status in HEADLINE_STATUSES}
    figures["due today"] = len(due_within(items, todays, 0))
    # Daily checks are counted as due today only (they are due again every day).
    later = items[~items["requirement"].isin(list(daily)).to_numpy(dtype=bool)]
    figures["due in 30 days"] = len(due_within(later, todays, 30))
    figures["open corrective actions"] = open_actions
    return figures


def needs_attention(
    items: pd.DataFrame, todays: Mapping[str, date], *, include_ok: bool = False
) -> pd.DataFrame:
    """Items not ok (or all of them), worst first, then soonest due."""
    shown = items if include_ok else items[items["status"].isin(NOT_OK)]
    ranked = shown.assign(_rank=shown["status"].map(lambda s: -SEVERITY[Status(s)]))
    ranked = ranked.sort_values(
        ["_rank", "due_on", "site", "requirement", "subject"], kind="stable"
    )
    return with_days_left(ranked.drop(columns="_rank"), todays)[LIST_COLUMNS].reset_index(drop=True)


def filtered(
    items: pd.DataFrame,
    *,
    sites: Iterable[str] = (),
    categories: Iterable[str] = (),
    statuses: Iterable[str] = (),
    requirements: Iterable[str] = (),
) -> pd.DataFrame:
    """Rows matching every non-empty filter."""
    keep = pd.Series(True, index=items.index)
    for column, wanted in (
        ("site", sites),
        ("category", categories),
        ("status", statuses),
        ("requirement", requirements),
    ):
        chosen = list(wanted)
        if chosen:
            keep &= items[column].isin(chosen)
    return items[keep]


def due_within(
    items: pd.DataFrame, todays: Mapping[str, date], days: int, daily: Collection[str] = ()
) -> pd.DataFrame:
    """Items still in order that fall due (or expire) in the next `days` days, soonest first;
    requirements owed every open day only when due today."""
    left = days_left(items, todays)
    upcoming = _in_order(items["status"]) & _falling_due(left, items["requirement"], days, daily)
    rows = with_days_left(items[upcoming.to_numpy(dtype=bool)], todays)
    return rows.sort_values(["due_on", "site", "requirement"], kind="stable")[
        LIST_COLUMNS
    ].reset_index(drop=True)


def _in_order(status: pd.Series) -> pd.Series:
    """Items ok or due soon: still in order, so "falling due" rather than "needs attention"."""
    return status.isin([str(Status.OK), str(Status.DUE_SOON)])


def _falling_due(
    left: pd.Series, requirement: pd.Series, days: int, daily: Collection[str]
) -> pd.Series:
    """Due within `days` days; a daily requirement only when due today."""
    every_day = requirement.isin(list(daily))
    return (left.between(0, days) & (~every_day | (left == 0))).fillna(False)


def readiness_matrix(scenarios: pd.DataFrame) -> pd.DataFrame:
    """Sites × scenarios: "ready" or "NOT READY (n)", n the blocking items."""
    if scenarios.empty:
        return pd.DataFrame()
    cells = scenarios.assign(
        cell=[
            "ready" if ready else f"NOT READY ({len(blocking)})"
            for ready, blocking in zip(scenarios["ready"], scenarios["blocking"], strict=True)
        ]
    )
    matrix = cells.pivot(index="site", columns="scenario", values="cell")
    return matrix[list(dict.fromkeys(scenarios["scenario"]))].reset_index()


def not_ready_sites(scenarios: pd.DataFrame) -> list[str]:
    """Sites with at least one scenario not ready, most blocked first."""
    blocked = scenarios[~scenarios["ready"]]
    counts = blocked.groupby("site")["blocking"].apply(lambda lists: sum(map(len, lists)))
    return list(counts.sort_values(ascending=False, kind="stable").index)


def blocking_items(scenarios: pd.DataFrame, site: str) -> pd.DataFrame:
    """What keeps each scenario of a site from being ready."""
    rows = [
        {"scenario": scenario, **item}
        for scenario, blocking in scenarios.loc[
            scenarios["site"] == site, ["scenario", "blocking"]
        ].itertuples(index=False)
        for item in blocking
    ]
    return pd.DataFrame(rows, columns=["scenario", "requirement", "subject", "status"])


def status_counts(items: pd.DataFrame) -> dict[str, int]:
    """How many items have each status (every status present, zero when none)."""
    counts = items["status"].value_counts()
    return {str(status): int(counts.get(str(status), 0)) for status in Status}


def reminder_state(jobs: pd.DataFrame, now_utc: datetime) -> tuple[bool, str]:
    """(running, sentence) about the reminder jobs' heartbeats."""
    if jobs.empty:
        return True, "No reminder jobs are expected (no sites yet)."
    last_ok = jobs["last_ok_at"].dropna()
    if last_ok.empty:
        return False, "Reminders have never run."
    latest = last_ok.max().to_pydatetime()
    ago = _ago(now_utc - latest)
    late = list(jobs.loc[jobs["late"], "job"])
    if late:
        return False, f"Reminders have stopped: {', '.join(late)} late (last success {ago} ago)."
    return True, f"Reminders last ran {ago} ago ({latest:%Y-%m-%d %H:%M} UTC)."


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{max(seconds, 0)} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


# --- the page's model: computed once per data version, filtered per click ---------------


@dataclass(frozen=True)
class OverviewModel:
    """Everything the overview shows, derived once from the items and scenarios."""

    rows: pd.DataFrame  # every item, worst first, with days_left (LIST_COLUMNS)
    figures: dict[str, int]  # headline counts (open corrective actions added by the page)
    matrix: pd.DataFrame
    scenarios: pd.DataFrame
    blocked: list[str]
    choices: dict[str, list[str]] = field(default_factory=dict)
    # Requirements owed every open day: listed as due today, never "in N days".
    daily: frozenset[str] = frozenset()


def model(
    items: pd.DataFrame,
    scenarios: pd.DataFrame,
    todays: Mapping[str, date],
    daily: Collection[str] | None = None,
) -> OverviewModel:
    """The overview of these items and scenarios (both limited to the user's sites).

    `daily` defaults to the daily checklist requirements of the policy in force.
    """
    chosen = frozenset(every_open_day(current_policy()) if daily is None else daily)
    rows = needs_attention(items, todays, include_ok=True)
    figures = headline(items, todays, open_actions=0, daily=chosen)
    del figures["open corrective actions"]
    return OverviewModel(
        rows=rows,
        figures=figures,
        matrix=readiness_matrix(scenarios),
        scenarios=scenarios,
        blocked=not_ready_sites(scenarios),
        choices={c: sorted(items[c].unique()) for c in ("site", "category", "requirement")},
        daily=chosen,
    )


def attention(
    overview: OverviewModel,
    *,
    sites: Iterable[str] = (),
    categories: Iterable[str] = (),
    statuses: Iterable[str] = (),
    requirements: Iterable[str] = (),
    include_ok: bool = False,
) -> pd.DataFrame:
    """The rows matching the filters; ok and not applicable ones only when asked for."""
    chosen = list(statuses)
    shown = filtered(
        overview.rows,
        sites=sites,
        categories=categories,
        statuses=chosen,
        requirements=requirements,
    )
    if not (include_ok or chosen):
        shown = shown[shown["status"].isin(NOT_OK)]
    return shown.reset_index(drop=True)


def upcoming(overview: OverviewModel, days: int) -> pd.DataFrame:
    """Items still in order that fall due in the next `days` days, soonest first, with
    `when` in words ("today", "in 12 days"); daily checks only when due today."""
    rows = overview.rows
    keep = _in_order(rows["status"]) & _falling_due(
        rows["days_left"], rows["requirement"], days, overview.daily
    )
    chosen = rows[keep.to_numpy(dtype=bool)]
    chosen = chosen.sort_values(["due_on", "site", "requirement"], kind="stable")
    when = chosen["days_left"].map(_when).astype(object)
    return chosen.assign(when=when)[["when", *LIST_COLUMNS]].reset_index(drop=True)


def _when(days: int) -> str:
    """Days left as words: "today", "tomorrow", "in 12 days"."""
    return {0: "today", 1: "tomorrow"}.get(int(days), f"in {int(days)} days")
