"""The expiry timeline: what falls due in the next 90 days, week by week, by kind of thing.

Certificates, AED pads, AED batteries, emergency drugs, and service or calibration
visits: the things an officer orders or books ahead. Which requirement belongs to
which kind comes from the policy (its kind, and for expiring equipment the date
field it reads), so a requirement added to the policy joins its row on its own.
Items already lapsed are in "needs attention", not here.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from readiness.policy.pack import Policy
from readiness.policy.requirements import (
    CertificationRequirement,
    ExpiryRequirement,
    IntervalRequirement,
    Requirement,
    StockRequirement,
)
from readiness.rules.status import Status

HORIZON_DAYS: Final = 90
# Rows of the timeline, in the order they are stacked and listed.
KINDS: Final = ("Certificates", "AED pads", "AED batteries", "Drugs", "Service and calibration")
# An expiring asset field that is not pads or batteries keeps the requirement's title.
FIELD_KINDS: Final = {"pads_expire_on": "AED pads", "battery_expires_on": "AED batteries"}
COLUMNS: Final = ["week", "kind", "items", "sites"]
IN_ORDER: Final = (str(Status.OK), str(Status.DUE_SOON))


def kind_of(requirement: Requirement) -> str | None:
    """The timeline row of a requirement; None when it does not expire or fall due ahead."""
    if isinstance(requirement, CertificationRequirement):
        return "Certificates"
    if isinstance(requirement, ExpiryRequirement):
        return FIELD_KINDS.get(requirement.expiry_field, requirement.title)
    if isinstance(requirement, StockRequirement):
        return "Drugs"
    if isinstance(requirement, IntervalRequirement):
        return "Service and calibration"
    return None


def upcoming_expiries(rows: pd.DataFrame, policy: Policy, days: int = HORIZON_DAYS) -> pd.DataFrame:
    """The items still in order (rows with requirement, site, status, due_on, days_left) that
    fall due in 0..days days, with their kind."""
    kinds = {rid: kind_of(r) for rid, r in policy.requirements.items()}
    kind = rows["requirement"].map(kinds)
    soon = rows["days_left"].between(0, days).fillna(False).to_numpy(dtype=bool)
    # Still in order: what is failed, expired or missing already is "needs attention".
    in_order = rows["status"].isin(IN_ORDER).to_numpy(dtype=bool)
    chosen = rows[soon & in_order & kind.notna().to_numpy(dtype=bool)]
    return chosen.assign(kind=kind[chosen.index])


def weekly(items: pd.DataFrame) -> pd.DataFrame:
    """Items and sites per week (starting Monday) and kind; weeks with none are left out
    (a bar chart over time shows them empty)."""
    if items.empty:
        return pd.DataFrame(columns=COLUMNS)
    due = pd.to_datetime(items["due_on"])
    week = (due - pd.to_timedelta(due.dt.day_of_week, unit="D")).dt.date
    grouped = (
        items.assign(week=week)
        .groupby(["week", "kind"], sort=True)
        .agg(items=("site", "size"), sites=("site", "nunique"))
        .reset_index()
    )
    order = {name: n for n, name in enumerate(KINDS)}
    grouped = grouped.sort_values(
        ["week", "kind"], key=lambda c: c.map(order).fillna(len(order)) if c.name == "kind" else c
    )
    return grouped.reset_index(drop=True)[COLUMNS]


def timeline(rows: pd.DataFrame, policy: Policy, days: int = HORIZON_DAYS) -> pd.DataFrame:
    """Weekly counts of what falls due in the next `days` days (`days_left`: in each site's
    own days)."""
    return weekly(upcoming_expiries(rows, policy, days))
