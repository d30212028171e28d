"""Drill requirements: an emergency drill of one scenario per site, every interval."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from readiness.compliance.detail import either, words
from readiness.compliance.facts import Facts
from readiness.compliance.recurring import judge, next_due
from readiness.compliance.subjects import sites_for
from readiness.compliance.table import Verdicts, judged, per_row
from readiness.policy.pack import DrillRequirement


def drill_items(requirements: Sequence[DrillRequirement], facts: Facts) -> Verdicts:
    """Per site: due an interval after the last drill of the scenario (on the site's date)."""
    rows = sites_for(requirements, facts)
    rows = rows.assign(scenario=per_row(rows, [r.scenario for r in requirements]))
    # A drill that went badly still trained the team; what went wrong is followed up
    # by its corrective actions, which keep the requirement `failed` while open.
    latest = facts.drills.sort_values("held_at").drop_duplicates(
        ["site_id", "scenario"], keep="last"
    )
    rows = rows.merge(latest, on=["site_id", "scenario"], how="left")
    last = rows["held_on"]
    due = next_due(rows, requirements, last)
    what = per_row(rows, [r.title for r in requirements])
    none = per_row(rows, [f"No {words(r.scenario)} drill on record" for r in requirements])
    status, detail = judge(rows, requirements, due, last, what=what, verb="held", none=none)
    detail = detail + _missed_targets(rows, requirements)
    return judged(rows, status=status, detail=detail, due_on=due, last_done_on=last)


def _missed_targets(rows: pd.DataFrame, requirements: Sequence[DrillRequirement]) -> pd.Series:
    """Targets the last drill missed, e.g. "; time to AED 210 s, target 180 s"."""
    notes = pd.Series("", index=rows.index, dtype="str")
    for requirement in requirements:
        for timer, target in requirement.target_seconds.items():
            seconds = pd.to_numeric(rows[timer])
            over = (rows["requirement"] == requirement.id) & seconds.notna() & (seconds > target)
            label = timer.removesuffix("_s").replace("_", " ").replace("aed", "AED")
            taken = seconds.fillna(0).astype("int64").astype("str")
            notes = notes + either(over, f"; {label} " + taken + f" s, target {target} s")
    return notes
