"""Whom or what requirements are about: assets of their kinds, selected staff, or sites.

Each function returns one row per requirement and subject, for all the requirements
given at once, with the subject's site code and as_of, its `subject` text, a `key`
(asset, staff or site primary key) and `rq`, the position of its requirement in the
list given, through which `table.per_row` lays per-requirement figures on the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from readiness.compliance.detail import pick
from readiness.compliance.facts import Facts
from readiness.policy.requirements import (
    AcknowledgementRequirement,
    CertificationRequirement,
    DesignationRequirement,
    Requirement,
)
from readiness.rules.due import DATE_DTYPE
from readiness.rules.status import Status

IN_SERVICE = "in_service"
# Why an asset that is not in service owes nothing.
NOT_IN_SERVICE = {
    "out_of_service": "Out of service: not required until it is back in service",
    "retired": "Retired: no longer required",
}


def assets_for(requirements: Sequence[Requirement], facts: Facts) -> pd.DataFrame:
    """Each asset requirement's assets (of its asset_kinds)."""
    assets = facts.assets.rename(columns={"status": "asset_status"})
    kinds = assets["kind"].to_numpy(dtype=object)
    wanted = [
        np.isin(kinds, r.asset_kinds) if r.subject == "asset" else np.zeros(len(kinds), bool)
        for r in requirements
    ]
    rq, row = np.nonzero(np.array(wanted).reshape(len(requirements), len(kinds)))
    rows = assets.take(row)
    return _rows(rows, requirements, rq, rows["asset_id"], rows["asset_pk"], facts)


def staff_for(
    requirements: Sequence[
        CertificationRequirement | DesignationRequirement | AcknowledgementRequirement
    ],
    facts: Facts,
    *,
    visiting: bool = False,
) -> pd.DataFrame:
    """Each requirement's staff: those whose role it lists, or who carry its staff flag.

    A person is a row of their home site; with `visiting`, also of each site they are
    assigned to on its as_of (who works there that day, for staffing counts).
    """
    staff = facts.staff
    if visiting and not facts.visiting.empty:
        staff = pd.concat([staff, facts.visiting[staff.columns]], ignore_index=True)
    roles = staff["role"].to_numpy(dtype=object)
    wanted = []
    for requirement in requirements:
        chosen = np.isin(roles, requirement.roles)
        if requirement.staff_flag is not None:
            chosen |= staff[requirement.staff_flag].to_numpy(dtype=bool)
        wanted.append(chosen)
    rq, row = np.nonzero(np.array(wanted).reshape(len(requirements), len(roles)))
    rows = staff.take(row)
    return _rows(rows, requirements, rq, rows["staff_id"], rows["staff_pk"], facts)


def sites_for(requirements: Sequence[Requirement], facts: Facts) -> pd.DataFrame:
    """Each site-level requirement at each judged site."""
    sites = facts.sites
    on_sites = np.array([r.subject == "site" for r in requirements], dtype=bool)
    rq = np.repeat(np.flatnonzero(on_sites), len(sites))
    rows = sites[["site_id"]].iloc[np.tile(np.arange(len(sites)), int(on_sites.sum()))]
    return _rows(rows, requirements, rq, None, rows["site_id"], facts)


def without_duty(
    status: pd.Series, detail: pd.Series, idle: pd.Series, reason: pd.Series | str
) -> tuple[pd.Series, pd.Series]:
    """Rows where `idle` holds become not_applicable with `reason` as their detail."""
    reasons = reason if isinstance(reason, pd.Series) else pd.Series(reason, index=idle.index)
    return (
        status.where(~idle, str(Status.NOT_APPLICABLE)),
        detail.where(~idle, reasons),
    )


def not_in_service(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Which rows' assets are out of service or retired, and the sentence that says so."""
    if "asset_status" not in rows:
        return pd.Series(False, index=rows.index), pd.Series("", index=rows.index)
    state = rows["asset_status"].fillna(IN_SERVICE).astype("str")
    return state != IN_SERVICE, pick(state, NOT_IN_SERVICE, default="Not in service")


def _rows(
    rows: pd.DataFrame,
    requirements: Sequence[Requirement],
    rq: np.ndarray,
    subject: pd.Series | None,
    key: pd.Series,
    facts: Facts,
) -> pd.DataFrame:
    """Rows with their requirement, subject, key, site code and as_of, on a fresh index."""
    rows = rows.reset_index(drop=True)
    sites = facts.sites
    at = sites.index.get_indexer(pd.Index(rows["site_id"]))
    site = sites["site"].to_numpy(dtype=object)[at]
    ids = np.array([r.id for r in requirements] + [""], dtype=object)
    extra = pd.DataFrame(
        {
            "rq": rq,
            "requirement": pd.Series(ids[rq], dtype=object),
            "subject": pd.Series(site if subject is None else subject.to_numpy(), dtype=object),
            "key": key.to_numpy(dtype=np.int64),
            "site": pd.Series(site, dtype=object),
            "as_of": sites["as_of"].to_numpy(dtype=DATE_DTYPE)[at],
        },
        index=rows.index,
    )
    return pd.concat([rows, extra], axis=1)
