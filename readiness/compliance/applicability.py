"""Where requirements apply: a requirement's `applies_if` against what each site is and does.

A site is described by one row of a frame (see `site_profile`): its `state`, whether it
`treats_children`, and `;`-separated `procedures` and `laser_kinds`. The engine and the
export's day masks read the same rule (`holds`), so both leave out the same sites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness.compliance.facts import Facts
from readiness.policy.pack import Policy
from readiness.policy.requirements import AppliesIf
from readiness.rules.status import Status

LASER = "laser"
RETIRED = "retired"
PROFILE = ["state", "treats_children", "procedures", "laser_kinds"]


def holds(condition: AppliesIf, sites: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Per site row: True where every key of the condition holds."""
    meets = np.ones(len(sites), dtype=bool)
    if condition.state is not None:
        meets &= sites["state"].fillna("").str.upper().isin(condition.state).to_numpy(bool)
    if condition.treats_children is not None:
        children = sites["treats_children"].fillna(False).astype(bool).to_numpy(bool)
        meets &= children == condition.treats_children
    if condition.laser_kind is not None:
        meets &= _any_listed(sites["laser_kinds"], condition.laser_kind)
    if condition.procedure is not None:
        meets &= _any_listed(sites["procedures"], condition.procedure)
    return meets


def _any_listed(column: pd.Series, wanted: Sequence[str]) -> npt.NDArray[np.bool_]:
    """True where the `;`-separated text names one of `wanted`."""
    names = "|".join(re.escape(w) for w in wanted)
    pattern = rf"(?:^|;)\s*(?:{names})\s*(?:;|$)"
    return column.fillna("").astype(str).str.contains(pattern, regex=True).to_numpy(bool)


def laser_kinds(assets: pd.DataFrame) -> pd.Series:
    """Per site_id: the kinds of its lasers that are not retired, `;`-separated."""
    lasers = assets[
        (assets["kind"] == LASER).to_numpy(bool)
        & (assets["status"] != RETIRED).to_numpy(bool)
        & assets["laser_kind"].notna().to_numpy(bool)
    ]
    if lasers.empty:
        return pd.Series(dtype=object)
    return lasers.groupby("site_id")["laser_kind"].agg(lambda kinds: ";".join(sorted(set(kinds))))


def site_profile(facts: Facts) -> pd.DataFrame:
    """The judged sites with what applies_if reads (indexed by site_id)."""
    sites = facts.sites
    kinds = laser_kinds(facts.assets).reindex(sites.index)
    return sites.assign(laser_kinds=kinds)[["site", *PROFILE]]


def where_they_apply(items: pd.DataFrame, policy: Policy, facts: Facts) -> pd.DataFrame:
    """Items of requirements with applies_if are not_applicable at sites that fail it."""
    conditions = {r.id: r.applies_if for r in policy.requirements.values() if r.applies_if}
    if not conditions or items.empty:
        return items
    profile = site_profile(facts)
    # One small table: per condition (row) and judged site (column), whether it holds.
    table = np.array([holds(condition, profile) for condition in conditions.values()])
    rule = pd.Index(list(conditions)).get_indexer(pd.Index(items["requirement"]))
    site = pd.Index(profile["site"]).get_indexer(pd.Index(items["site"]))
    conditioned = (rule >= 0) & (site >= 0)
    meets = np.ones(len(items), dtype=bool)
    meets[conditioned] = table[rule[conditioned], site[conditioned]]
    reasons = np.array(
        [f"Not required here: applies to {c.words}" for c in conditions.values()] + [None],
        dtype=object,
    )
    kept = pd.Series(meets, index=items.index)
    return items.assign(
        status=items["status"].where(kept, str(Status.NOT_APPLICABLE)),
        detail=items["detail"].where(kept, pd.Series(reasons[rule], index=items.index)),
    )
