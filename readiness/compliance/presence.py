"""Presence of the essentials: a site needs at least a minimum of in-service assets of some
kinds (an AED, an emergency kit, oxygen, a fire extinguisher).

The absence of an essential is itself a finding: an AED that is out of service owes no
pads check, so without this requirement a site whose only AED is away would look ready.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from readiness.compliance.detail import either, words
from readiness.compliance.facts import Facts
from readiness.compliance.subjects import IN_SERVICE, sites_for
from readiness.compliance.table import Verdicts, judged, per_row
from readiness.policy.requirements import PresenceRequirement
from readiness.rules.status import Status

KEYS = ["requirement", "site_id"]
# Asset kinds as a clinic manager says them.
NOUNS = {
    "aed": "AED",
    "emergency_kit": "emergency kit",
    "oxygen": "oxygen cylinder",
    "fire_extinguisher": "fire extinguisher",
    "eyewear": "pair of laser eyewear",
    "laser": "laser",
    "suction": "suction unit",
    "other": "other equipment",
}


def presence_items(requirements: Sequence[PresenceRequirement], facts: Facts) -> Verdicts:
    """Per site: how many assets of the kinds are in service, against the minimum."""
    rows = sites_for(requirements, facts)
    assets = _assets_of_kinds(requirements, facts)
    state = assets["status"].fillna(IN_SERVICE).astype(object)
    serving = assets[(state == IN_SERVICE).to_numpy()]
    present = pd.DataFrame(
        {"present": serving.groupby(KEYS).size(), "names": joined_by(serving, KEYS, "label")}
    )
    rows = rows.merge(present.reset_index(), on=KEYS, how="left")
    rows = rows.merge(
        _not_in_service(assets[(state != IN_SERVICE).to_numpy()]), on=KEYS, how="left"
    )
    count = rows["present"].fillna(0).astype("int64")
    minimum = per_row(rows, [r.minimum for r in requirements])
    status = pd.Series(
        np.where(count >= minimum, str(Status.OK), str(Status.MISSING)), index=rows.index
    ).astype(object)
    noun = per_row(rows, [noun_of(r.asset_kinds) for r in requirements])
    names, others = text_of(rows["names"]), text_of(rows["others"])
    listed = others != ""
    have = either(
        count > 0,
        text_of(count) + " in service: " + names,
        "No " + noun + " in service" + either(listed, " (" + others + ")"),
    )
    have = have.where((count > 0) | listed, "No " + noun + " on record at this site")
    detail = have + either(count > 0, either(listed, "; " + others))
    detail = detail + "; minimum " + text_of(minimum) + " in service"
    return judged(rows, status=status, detail=detail)


def text_of(column: pd.Series) -> pd.Series:
    """A column as object text ("" where missing), which joins with + whatever its dtype."""
    return column.astype(object).where(column.notna(), "").astype(str).astype(object)


def noun_of(kinds: Sequence[str]) -> str:
    """ "AED", or "AED or oxygen cylinder" for several kinds."""
    return " or ".join(NOUNS.get(kind, words(kind)) for kind in kinds)


def joined_by(frame: pd.DataFrame, keys: list[str], column: str, sep: str = ", ") -> pd.Series:
    """Per group of `keys` (frame sorted by them): the group's `column` texts joined."""
    frame = frame.sort_values([*keys, column], kind="stable")
    grouped = frame[keys].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, (grouped[1:] != grouped[:-1]).any(axis=1)])
    if frame.empty:
        starts = np.zeros(0, dtype=np.int64)
    heads = frame[keys].iloc[starts]
    index = pd.MultiIndex.from_frame(heads) if len(keys) > 1 else pd.Index(heads[keys[0]])
    if frame.empty:
        return pd.Series([], index=index, dtype=object)
    # One vectorised concatenation per group (np.add.reduceat over object arrays).
    texts = np.add.reduceat(frame[column].to_numpy(dtype=object) + sep, starts)
    return pd.Series(texts, index=index, dtype=object).str[: -len(sep)]


def _assets_of_kinds(requirements: Sequence[PresenceRequirement], facts: Facts) -> pd.DataFrame:
    """Each requirement's assets at the judged sites, with a label "AED-1 'Lobby AED'"."""
    kinds = pd.DataFrame(
        [(r.id, kind) for r in requirements for kind in r.asset_kinds],
        columns=["requirement", "kind"],
    )
    assets = facts.assets.merge(kinds, on="kind")
    name = assets["name"].astype(object).fillna("")
    label = assets["asset_id"].astype(object) + either(name != "", " '" + name + "'")
    return assets.assign(label=label.to_numpy(dtype=object))


def _not_in_service(assets: pd.DataFrame) -> pd.DataFrame:
    """Per requirement and site: "1 out of service: AED-2 'Loan unit'; 1 retired: ..."."""
    by = assets.assign(state=assets["status"].astype(object))
    names = joined_by(by, [*KEYS, "state"], "label")
    counts = by.groupby([*KEYS, "state"]).size()
    if names.empty:
        return pd.DataFrame({"requirement": [], "site_id": [], "others": []}).astype(
            {"site_id": "int64", "requirement": object, "others": object}
        )
    states = names.index.get_level_values("state").to_numpy(dtype=object)
    texts = (
        counts.reindex(names.index).astype("str").to_numpy(dtype=object)
        + " "
        + pd.Series(states, dtype=object).str.replace("_", " ").to_numpy(dtype=object)
        + ": "
        + names.to_numpy(dtype=object)
    )
    parts = pd.DataFrame(
        {
            "requirement": names.index.get_level_values("requirement").to_numpy(dtype=object),
            "site_id": names.index.get_level_values("site_id").to_numpy(dtype=np.int64),
            "text": texts,
        }
    )
    others = joined_by(parts, KEYS, "text", "; ").rename("others")
    return others.reset_index()
