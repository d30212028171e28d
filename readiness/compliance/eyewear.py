"""Matched laser eyewear: per in-service laser, enough in-service pairs at its site whose
labelled wavelengths and optical density protect against it (`rules.eyewear`).

Labels are text; each distinct text (and each distinct laser/pair combination) is
parsed once, so the work grows with the variety of labels, not with the practice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from readiness.compliance.detail import either
from readiness.compliance.facts import Facts
from readiness.compliance.presence import joined_by, text_of
from readiness.compliance.subjects import IN_SERVICE, assets_for, not_in_service, without_duty
from readiness.compliance.table import Verdicts, judged, per_row
from readiness.policy.requirements import EyewearMatchRequirement
from readiness.rules import eyewear as rules
from readiness.rules.status import Status

EYEWEAR = "eyewear"
LABELS = ["wavelength_nm", "optical_density"]


def eyewear_items(requirements: Sequence[EyewearMatchRequirement], facts: Facts) -> Verdicts:
    """Per laser: in-service pairs at its site rated for it, against the minimum."""
    rows = assets_for(requirements, facts)
    rows = rows.assign(row=np.arange(len(rows)), **{c: _text(rows[c]) for c in LABELS})
    pairs = _pairs(facts)
    laser_problem = _problems(rows, laser=True)
    # An unreadable label on a pair in service means an unverified pair in circulation:
    # anyone may pick it up, so the site's lasers are not covered until it is fixed.
    unreadable = pairs[pairs["problem"].notna().to_numpy()]
    first = unreadable.sort_values("asset_id").drop_duplicates("site_id")
    pair_problem = rows["site_id"].map(first.set_index("site_id")["problem"]).astype(object)
    matched = _matched(rows[laser_problem.isna().to_numpy()], pairs[pairs["problem"].isna()])
    rows = rows.merge(matched, on="row", how="left")
    count = rows["matched"].fillna(0).astype("int64")
    at_site = rows["site_id"].map(pairs.groupby("site_id").size()).fillna(0).astype("int64")
    minimum = per_row(rows, [r.minimum for r in requirements])
    status = pd.Series(
        np.where(
            laser_problem.notna() | pair_problem.notna() | (count < minimum),
            str(Status.MISSING),
            str(Status.OK),
        ),
        index=rows.index,
    ).astype(object)
    detail = _sentence(rows, count, at_site, minimum)
    detail = detail.where(
        pair_problem.isna(), "Eyewear " + text_of(pair_problem) + "; fix the eyewear record"
    )
    detail = detail.where(
        laser_problem.isna(),
        "Laser " + text_of(laser_problem) + ": eyewear cannot be matched",
    )
    status, detail = without_duty(status, detail, *not_in_service(rows))
    return judged(rows, status=status, detail=detail)


def _text(column: pd.Series) -> pd.Series:
    """A label column as stripped object text, "" where empty (a key merges can match)."""
    return text_of(text_of(column).str.strip())


def _pairs(facts: Facts) -> pd.DataFrame:
    """In-service eyewear of the judged sites, with why its label cannot be read (or None)."""
    assets = facts.assets
    state = assets["status"].fillna(IN_SERVICE).astype(object)
    pairs = assets[((assets["kind"] == EYEWEAR) & (state == IN_SERVICE)).to_numpy()]
    pairs = pairs[["site_id", "asset_id", *LABELS]].assign(**{c: _text(pairs[c]) for c in LABELS})
    problem = _problems(pairs, laser=False)
    return pairs.assign(
        asset_id=pairs["asset_id"].astype(object),
        problem=(pairs["asset_id"].astype(object) + ": " + text_of(problem)).where(
            problem.notna(), None
        ),
    )


def _problems(frame: pd.DataFrame, *, laser: bool) -> pd.Series:
    """Per row: why its wavelength or OD text cannot be used (None: it can)."""
    # Each distinct label is read once; the rows take their verdict by a merge.
    labels = frame[LABELS].drop_duplicates()
    said = [rules.problem(nm, od, laser=laser) for nm, od in labels.itertuples(index=False)]
    labels = labels.assign(problem=pd.Series(said, index=labels.index, dtype=object))
    found = frame[LABELS].merge(labels, on=LABELS, how="left")["problem"]
    return pd.Series(found.to_numpy(dtype=object), index=frame.index)


def _matched(lasers: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per laser row: how many pairs at its site protect against it, and their ids."""
    combos = lasers[["row", "site_id", *LABELS]].merge(
        pairs[["site_id", "asset_id", *LABELS]], on="site_id", suffixes=("", "_pair")
    )
    columns = ["wavelength_nm", "optical_density", "wavelength_nm_pair", "optical_density_pair"]
    # Each distinct laser and pair label combination is judged once.
    distinct = combos[columns].drop_duplicates()
    verdicts = [rules.protects(*combo) for combo in distinct.itertuples(index=False)]
    distinct = distinct.assign(protects=np.array(verdicts, dtype=bool))
    protects = combos[columns].merge(distinct, on=columns, how="left")["protects"]
    good = combos[protects.to_numpy(dtype=bool)]
    return pd.DataFrame(
        {"matched": good.groupby("row").size(), "names": joined_by(good, ["row"], "asset_id")}
    ).reset_index()


def _sentence(
    rows: pd.DataFrame, count: pd.Series, at_site: pd.Series, minimum: pd.Series
) -> pd.Series:
    """E.g. "2 pairs in service rated for 755/1064 nm at OD 7+ (EYE-1, EYE-2); minimum 2"."""
    rated = " rated for " + text_of(rows["wavelength_nm"]) + " nm"
    rated = rated + either(rows["optical_density"] != "", " at " + rows["optical_density"])
    pairs = either(count == 1, " pair", " pairs")
    held = text_of(count) + pairs + " of eyewear in service" + rated
    held = held + either(count > 0, " (" + text_of(rows["names"]) + ")")
    others = at_site - count
    held = held + either(
        others > 0,
        "; "
        + text_of(others)
        + " other"
        + either(others == 1, " pair does", " pairs do")
        + " not match",
    )
    none = (
        "No laser eyewear in service at this site; minimum " + text_of(minimum) + " pairs" + rated
    )
    return either(at_site > 0, held + "; minimum " + text_of(minimum), none)
