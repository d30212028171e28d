"""Open corrective actions: while one is open, its requirement is `failed` for its subject."""

from __future__ import annotations

import pandas as pd

from readiness.compliance.detail import either, iso
from readiness.compliance.facts import Facts
from readiness.rules.status import Status

KEYS = ["site", "requirement", "subject"]


def with_open_actions(items: pd.DataFrame, facts: Facts) -> pd.DataFrame:
    """Items with an open corrective action on (site, requirement, subject) made `failed`.

    This wins over every other status, not_applicable included: an asset taken out
    of service by a failed check stays failed until its action is closed.
    """
    actions = facts.actions
    if actions.empty or items.empty:
        return items
    site = facts.scope.of(actions["site_id"], "site")
    actions = actions.assign(site=site, subject=actions["subject"].fillna(site))
    # Only items of a requirement some action names can match: look those up alone.
    candidates = items[items["requirement"].isin(actions["requirement"]).to_numpy()]
    ordered = actions.sort_values(["opened_at", "id"])
    first = ordered.drop_duplicates(KEYS).set_index(KEYS)
    found = pd.MultiIndex.from_frame(candidates[KEYS])
    opened = first.reindex(found).set_axis(candidates.index).reindex(items.index)
    hit = opened["id"].notna()
    if not hit.any():
        return items
    # Sentences only for the items an action names (a few of thousands).
    opened = opened[hit.to_numpy()]
    counts = ordered.groupby(KEYS).size().reindex(found).set_axis(candidates.index)
    others = counts.reindex(opened.index).fillna(1) - 1
    more = either(others > 0, "; " + others.astype("int64").astype("str") + " more open")
    sentence = (
        "Failed: "
        + opened["description"].fillna("").astype("str")
        + " (corrective action open since "
        + iso(opened["opened_on"])
        + ", due "
        + iso(opened["due_on"])
        + more
        + ")"
    )
    return items.assign(
        status=items["status"].where(~hit, str(Status.FAILED)),
        detail=items["detail"].where(~hit, sentence.reindex(items.index)),
    )
