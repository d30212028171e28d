"""The officers' weekly summary text: counts per site and every item that blocks readiness."""

from __future__ import annotations

import pandas as pd

from readiness.rules.status import SEVERITY, Status

# Listed one by one; due-soon items are only counted.
LISTED = ("failed", "overdue", "expired", "missing")
MAX_LINES = 60


def summary_headline(items: pd.DataFrame) -> str:
    """E.g. "2 sites: 3 overdue, 1 missing, 4 due soon"."""
    if items.empty:
        return "no compliance items"
    sites = items["site"].nunique()
    return f"{sites} site{'s' if sites != 1 else ''}: {status_counts(items)}"


def status_counts(items: pd.DataFrame) -> str:
    """E.g. "3 overdue, 1 missing, 4 due soon", most severe first; "all in order" if none."""
    counts = items["status"].astype(str).value_counts()
    parts = [
        f"{counts[str(s)]} {str(s).replace('_', ' ')}"
        for s in sorted(Status, key=SEVERITY.__getitem__, reverse=True)
        if s not in (Status.OK, Status.NOT_APPLICABLE) and counts.get(str(s), 0)
    ]
    return ", ".join(parts) or "all in order"


def summary_text(items: pd.DataFrame) -> str:
    """Per site: counts by status, then each failed, lapsed or missing item."""
    if items.empty:
        return "No compliance items."
    lines: list[str] = []
    for site, group in items.groupby("site", sort=True):
        lines.append(f"{site}: {status_counts(group)}")
        listed = group[group["status"].astype(str).isin(LISTED)]
        for row in listed.sort_values(["status", "requirement", "subject"]).to_dict("records"):
            detail = row.get("detail")
            note = "" if detail is None or pd.isna(detail) else f": {detail}"
            lines.append(f"  - {row['status']}: {row['requirement']} · {row['subject']}{note}")
    if len(lines) > MAX_LINES:
        more = len(lines) - MAX_LINES
        lines = [*lines[:MAX_LINES], f"... and {more} more lines: see the dashboard"]
    return "\n".join(lines)
