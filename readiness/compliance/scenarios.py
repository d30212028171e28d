"""Scenario readiness: per site and emergency, ready unless a required item blocks it.

Which requirements a scenario needs is the policy's `scenarios[...].requires`; an
item blocks when its status is failed, overdue, expired or missing, for any of its
subjects at the site (one lapsed laser check blocks laser readiness). Items that are
due soon, ok or not applicable never block.
"""

from __future__ import annotations

import pandas as pd

from readiness.policy.pack import Policy
from readiness.rules.status import BLOCKING, SEVERITY

SCENARIO_COLUMNS = ("site", "scenario", "ready", "blocking")
BLOCKING_KEYS = ("requirement", "subject", "status")


def scenario_readiness(items: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """One row per site and scenario: ready (bool) and the blocking items, worst first."""
    needs = pd.DataFrame(
        [(name, rid) for name, scenario in policy.scenarios.items() for rid in scenario.requires],
        columns=["scenario", "requirement"],
    )
    blocked = items[items["status"].isin([str(s) for s in BLOCKING]).to_numpy()]
    found = blocked[["site", *BLOCKING_KEYS]].merge(needs, on="requirement")
    found = found.assign(severity=found["status"].map(SEVERITY)).sort_values(
        ["severity", "requirement", "subject"], ascending=[False, True, True], kind="stable"
    )
    lists: dict[tuple[str, str], list[dict[str, str]]] = {}
    # Assembling the output lists: one step per blocking item found, not per subject judged.
    for site, scenario, *values in zip(
        found["site"], found["scenario"], *(found[key] for key in BLOCKING_KEYS), strict=True
    ):
        entry = dict(zip(BLOCKING_KEYS, map(str, values), strict=True))
        lists.setdefault((str(site), str(scenario)), []).append(entry)
    rows = [
        (site, name, not lists.get((site, name)), lists.get((site, name), []))
        for site in sorted(items["site"].unique())
        for name in policy.scenarios
    ]
    return pd.DataFrame(rows, columns=list(SCENARIO_COLUMNS))
