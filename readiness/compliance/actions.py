"""Open corrective actions: while one is open, its requirement is `failed` for its subject."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from readiness.compliance.detail import iso
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
    sentences = _sentences(actions, facts)
    # Only items of a requirement some action names can match (a few of thousands).
    candidates = np.flatnonzero(items["requirement"].isin(actions["requirement"]).to_numpy())
    keys = zip(*(items[key].to_numpy(dtype=object)[candidates] for key in KEYS), strict=True)
    hit = np.zeros(len(items), dtype=bool)
    detail = np.empty(len(items), dtype=object)
    for position, key in zip(candidates, keys, strict=True):
        sentence = sentences.get(key)
        if sentence is not None:
            hit[position], detail[position] = True, sentence
    if not hit.any():
        return items
    return items.assign(
        status=items["status"].where(~hit, str(Status.FAILED)),
        detail=items["detail"].where(~hit, pd.Series(detail, index=items.index)),
    )


def _sentences(actions: pd.DataFrame, facts: Facts) -> dict[tuple[object, ...], str]:
    """Per (site, requirement, subject): the sentence of its first open action, e.g.
    "Failed: replace pads (corrective action open since 2026-03-01, due 2026-03-08;
    1 more open)". A site-wide action (no subject) names the site."""
    site = facts.scope.of(actions["site_id"], "site")
    ordered = actions.assign(site=site, subject=actions["subject"].fillna(site)).sort_values(
        ["opened_at", "id"]
    )
    keys = list(zip(*(ordered[key].to_numpy(dtype=object) for key in KEYS), strict=True))
    counts = Counter(keys)
    descriptions = ordered["description"].to_numpy(dtype=object)
    opened, due = iso(ordered["opened_on"]), iso(ordered["due_on"])
    sentences: dict[tuple[object, ...], str] = {}
    for key, description, since, by in zip(keys, descriptions, opened, due, strict=True):
        if key in sentences:
            continue
        text = "" if pd.isna(description) else str(description)
        others = counts[key] - 1
        more = f"; {others} more open" if others > 0 else ""
        sentences[key] = f"Failed: {text} (corrective action open since {since}, due {by}{more})"
    return sentences
