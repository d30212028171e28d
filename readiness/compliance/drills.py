"""Drill requirements: a passing emergency drill of one scenario per site, every interval.

A drill is judged: one recorded as failed, or slower than a policy target (time to
the AED, to epinephrine), does not satisfy its requirement. The latest drill on or
before as_of decides: a failing one makes the item `failed` until a later passing
drill; the due date runs from the last passing drill.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from readiness.compliance.detail import either, iso, words
from readiness.compliance.facts import Facts
from readiness.compliance.recurring import judge, next_due
from readiness.compliance.subjects import sites_for
from readiness.compliance.table import Verdicts, judged, per_row
from readiness.policy.requirements import DrillRequirement
from readiness.rules.status import Status

KEY = ["requirement", "site_id"]
CLEARS = "; cleared by a passing drill"


def drill_items(requirements: Sequence[DrillRequirement], facts: Facts) -> Verdicts:
    """Per site: due an interval after the last passing drill of the scenario (site's date);
    `failed` while the latest drill of the scenario failed or missed a target."""
    rows = sites_for(requirements, facts)
    drills = _judged(requirements, facts)
    passed = drills[drills["passed"].to_numpy()].drop_duplicates(KEY, keep="last")
    rows = rows.merge(passed[[*KEY, "held_on"]], on=KEY, how="left")
    latest = drills.drop_duplicates(KEY, keep="last")[
        [*KEY, "held_on", "outcome", "passed", "missed"]
    ]
    rows = rows.merge(
        latest.rename(columns=lambda c: c if c in KEY else "latest_" + c), on=KEY, how="left"
    )
    last = rows["held_on"]
    due = next_due(rows, requirements, last)
    what = per_row(rows, [r.title for r in requirements])
    none = per_row(rows, [f"No {words(r.scenario)} drill on record" for r in requirements])
    status, detail = judge(rows, requirements, due, last, what=what, verb="held", none=none)
    failing = rows["latest_passed"].eq(False).to_numpy()
    status = status.where(~failing, str(Status.FAILED))
    detail = detail.where(~failing, _failure(rows, what))
    return judged(rows, status=status, detail=detail, due_on=due, last_done_on=last)


def timings(requirement: DrillRequirement, drill: Any) -> dict[str, int | None]:
    """The timers the requirement sets targets for, as one drill record has them."""
    return {timer: getattr(drill, timer) for timer in requirement.target_seconds}


def missed_targets(requirement: DrillRequirement, seconds: Mapping[str, int | None]) -> str:
    """The targets one drill missed, e.g. "time to AED 240 s, target 180 s" ("" if none)."""
    return ", ".join(
        f"{_label(timer)} {taken} s, target {target} s"
        for timer, target in requirement.target_seconds.items()
        if (taken := seconds.get(timer)) is not None and taken > target
    )


def passes(requirement: DrillRequirement, outcome: str, seconds: Mapping[str, int | None]) -> bool:
    """Whether one drill satisfies the requirement: recorded as passed and within its targets."""
    return outcome == "pass" and not missed_targets(requirement, seconds)


def _judged(requirements: Sequence[DrillRequirement], facts: Facts) -> pd.DataFrame:
    """Each requirement's drills, oldest first (same instant: record order), with `missed`
    (the targets missed, as words) and `passed`."""
    scenarios = pd.DataFrame(
        [(r.id, r.scenario) for r in requirements], columns=["requirement", "scenario"]
    )
    drills = facts.drills.merge(scenarios, on="scenario").sort_values(["held_at", "id"])
    ids = drills["requirement"].to_numpy(dtype=object)
    missed = np.full(len(drills), "", dtype=object)
    for requirement in requirements:
        ours = ids == requirement.id
        for timer, target in requirement.target_seconds.items():
            seconds = pd.to_numeric(drills[timer]).to_numpy(dtype="float64", na_value=np.nan)
            # Words only for the drills that missed a target (few of thousands).
            for row in np.flatnonzero(ours & (seconds > target)):
                text = f"{_label(timer)} {int(seconds[row])} s, target {target} s"
                missed[row] = f"{missed[row]}, {text}" if missed[row] else text
    passed = (drills["outcome"] == "pass").to_numpy(dtype=bool) & (missed == "")
    return drills.assign(missed=pd.Series(missed, index=drills.index), passed=passed)


def _failure(rows: pd.DataFrame, what: pd.Series) -> pd.Series:
    """E.g. "Cardiac arrest mock code with AED on 2026-02-01 missed its target: time to AED
    240 s, target 180 s; cleared by a passing drill"."""
    missed = rows["latest_missed"].fillna("").astype("str")
    recorded = rows["latest_outcome"].fillna("").astype("str") != "pass"
    verdict = either(recorded, " was recorded as failed", " missed its target")
    return (
        what
        + " on "
        + iso(rows["latest_held_on"])
        + verdict
        + either(missed != "", either(recorded, "; ", ": ") + missed)
        + CLEARS
    )


def _label(timer: str) -> str:
    """A timer as words: "time_to_aed_s" -> "time to AED"."""
    return timer.removesuffix("_s").replace("_", " ").replace("aed", "AED")
