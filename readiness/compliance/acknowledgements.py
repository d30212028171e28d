"""Acknowledgement requirements: each active staff member of a site has acknowledged the
current version of its emergency action plan (OSHA 29 CFR 1910.38(e): reviewed with each
employee when the plan is made, when they start, and when it changes).

Missing until the person acknowledges the version in force on the day judged (contacts
and roles are dated versions); a new member of staff owes it from their first day, and
a new version is owed again by everyone from the day it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from readiness.compliance.detail import iso, pick
from readiness.compliance.facts import Facts
from readiness.compliance.frames import day_of
from readiness.compliance.plan_versions import acknowledgements, plan_versions
from readiness.compliance.subjects import staff_for, without_duty
from readiness.compliance.table import Verdicts, judged
from readiness.policy.requirements import AcknowledgementRequirement
from readiness.rules.due import DATE_DTYPE
from readiness.rules.plan_version import short
from readiness.rules.status import Status

KEYS = ["site_id", "staff_pk"]


def acknowledgement_items(
    requirements: Sequence[AcknowledgementRequirement], facts: Facts
) -> Verdicts:
    """Per selected staff member: acknowledged their site's current plan by as_of, or missing."""
    rows = staff_for(requirements, facts)
    # The version in force on each site's as_of day (contacts and roles are dated).
    as_of = facts.scope.sites["as_of"]
    days = {int(pk): day_of(on) for pk, on in zip(as_of.index, as_of, strict=True)}
    versions = plan_versions(facts.session, facts.scope.ids, as_of=days)
    current = rows["site_id"].map(versions).astype(object)
    acks = _acknowledged(facts, versions)
    rows = rows.merge(acks, on=KEYS, how="left")
    this_one = rows["this_version_on"].astype(DATE_DTYPE)
    earlier = rows["latest_on"].astype(DATE_DTYPE)
    done = this_one.notna()
    status = pd.Series(
        np.where(done, str(Status.OK), str(Status.MISSING)), index=rows.index, dtype=object
    )
    version = "(version " + current.map(lambda v: short(str(v))) + ")"
    detail = pick(
        status,
        {Status.OK: "Acknowledged the emergency plan " + version + " on " + iso(this_one)},
    )
    changed = ~done & earlier.notna()
    detail = detail.where(
        ~changed,
        "The emergency plan changed since it was acknowledged on "
        + iso(earlier)
        + "; acknowledge the new plan "
        + version,
    )
    never = ~done & earlier.isna()
    detail = detail.where(~never, "Has not acknowledged the emergency plan " + version)
    idle = ~rows["active"].astype(bool)
    status, detail = without_duty(status, detail, idle, "No longer active: not required")
    return judged(rows, status=status, detail=detail, last_done_on=this_one.where(done, earlier))


def _acknowledged(facts: Facts, versions: dict[int, str]) -> pd.DataFrame:
    """Per (site, staff): the latest acknowledgement of the current version and of any version,
    each on or before the site's as_of."""
    found = acknowledgements(facts.session, facts.scope.ids, through=facts.scope.last_day)
    frame = pd.DataFrame(
        [(a.site_id, a.staff_pk, a.plan_version, a.acknowledged_on) for a in found],
        columns=[*KEYS, "plan_version", "on"],
    )
    frame["on"] = pd.to_datetime(frame["on"]).astype(DATE_DTYPE)
    as_of = facts.scope.of(frame["site_id"], "as_of").to_numpy(dtype=DATE_DTYPE)
    frame = frame[(frame["on"].to_numpy(dtype=DATE_DTYPE) <= as_of)]
    current = frame["plan_version"].to_numpy(dtype=object) == frame["site_id"].map(
        versions
    ).to_numpy(dtype=object)
    latest = frame.groupby(KEYS)["on"].max().rename("latest_on")
    this_version = frame[current].groupby(KEYS)["on"].max().rename("this_version_on")
    return pd.concat([latest, this_version], axis=1).reset_index()
