"""Scenario readiness: per site and emergency, ready unless a required item blocks it.

Which requirements a scenario needs is the policy's `scenarios[...].requires`; an
item blocks when its status is failed, overdue, expired or missing, for any of its
subjects at the site (one lapsed laser check blocks laser readiness).
"""

from __future__ import annotations

import pandas as pd

from readiness.policy import Policy
from readiness.status import BLOCKING, SEVERITY

SCENARIO_COLUMNS = ("site", "scenario", "ready", "blocking")
BLOCKING_KEYS = ("requirement", "subject", "status")


def scenario_readiness(items: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """One row per site and scenario: ready (bool) and the blocking items, worst first."""
    needs = pd.DataFrame(
        [
            (name, requirement)
            for name, scenario in policy.scenarios.items()
            for requirement in scenario.requires
        ],
        columns=["scenario", "requirement"],
    )
    blocked = items[items["status"].isin([str(s) for s in BLOCKING]).to_numpy()]
    blocked = blocked.assign(severity=blocked["status"].map(SEVERITY))
    blocked = blocked.sort_values(
        ["site", "severity", "requirement", "subject"], ascending=[True, False, True, True]
    )
    found = blocked.merge(needs, on="requirement")
    lists = (
        found.groupby(["site", "scenario"], sort=False)[list(BLOCKING_KEYS)]
        .apply(lambda rows: rows.to_dict("records"))
        .rename("blocking")
    )
    sites = pd.Index(sorted(items["site"].unique()), name="site")
    grid = pd.MultiIndex.from_product([sites, list(policy.scenarios)], names=["site", "scenario"])
    table = lists.reindex(grid).reset_index()
    table["blocking"] = [value if isinstance(value, list) else [] for value in table["blocking"]]
    table["ready"] = table["blocking"].map(len) == 0
    return table[list(SCENARIO_COLUMNS)]
