"""Equipment requirements: service every interval (interval) and dates on the asset (expiry)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from readiness.compliance.detail import capitalised, either, iso, pick, span, thing
from readiness.compliance.facts import Facts
from readiness.compliance.recurring import judge, next_due
from readiness.compliance.subjects import assets_for, not_in_service, without_duty
from readiness.compliance.table import Verdicts, judged, per_row, windows
from readiness.policy.pack import ExpiryRequirement, IntervalRequirement
from readiness.rules.due import DATE_DTYPE, days_until_series, due_status_series
from readiness.rules.status import Status


def interval_items(requirements: Sequence[IntervalRequirement], facts: Facts) -> Verdicts:
    """Per asset: due an interval after its last (passing) service event of the listed kinds."""
    rows = assets_for(requirements, facts)
    latest = _latest_events(requirements, facts)
    rows = rows.merge(latest, on=["requirement", "asset_pk"], how="left")
    last, stated = rows["performed_on"], rows["next_due_on"]
    # The asset's own interval wins over the policy's, where the requirement reads it.
    reads_asset = per_row(rows, [r.asset_interval_field is not None for r in requirements])
    months = rows["service_interval_months"].where(reads_asset.astype(bool))
    # A next-due date written on the service report wins over both: the engineer
    # states this device's own schedule.
    due = stated.where(stated.notna(), next_due(rows, requirements, last, months))
    what = per_row(rows, [capitalised(" or ".join(r.event_kinds)) for r in requirements])
    none = per_row(
        rows, [f"No {_passing(r)}{' or '.join(r.event_kinds)} on record" for r in requirements]
    )
    status, detail = judge(rows, requirements, due, last, what=what, verb="done", none=none)
    basis = either(
        months.notna(),
        "; this device every "
        + months.astype("Float64").fillna(0).astype("int64").astype("str")
        + " months",
    )
    basis = basis.where(stated.isna(), "; due date from the service report")
    detail = detail + basis.where(status != str(Status.MISSING), "")
    status, detail = without_duty(status, detail, *not_in_service(rows))
    return judged(rows, status=status, detail=detail, due_on=due, last_done_on=last)


def expiry_items(requirements: Sequence[ExpiryRequirement], facts: Facts) -> Verdicts:
    """Per asset: the expiry date it carries (pads, battery); no date on file is `missing`."""
    rows = assets_for(requirements, facts)
    field = per_row(rows, [r.expiry_field for r in requirements])
    expires = pd.Series(pd.NaT, index=rows.index, dtype=DATE_DTYPE)
    for name in field.unique():
        expires = expires.where(field != name, rows[name])
    status = due_status_series(
        expires,
        rows["as_of"],
        per_row(rows, windows(requirements)),
        "expiry",
        valid_through=per_row(rows, [r.valid_through_expiry_date for r in requirements]),
    )
    name = per_row(rows, [thing(r.title) for r in requirements])
    when = (
        " expiry date "
        + iso(expires)
        + " ("
        + span(days_until_series(expires, rows["as_of"]))
        + ")"
    )
    detail = pick(
        status,
        {
            Status.MISSING: "No " + name + " expiry date on file",
            Status.EXPIRED: name + " expired:" + when,
        },
        default=name + when,
    )
    status, detail = without_duty(status, detail, *not_in_service(rows))
    return judged(rows, status=status, detail=detail, due_on=expires)


def _latest_events(requirements: Sequence[IntervalRequirement], facts: Facts) -> pd.DataFrame:
    """The latest qualifying service event per requirement and asset."""
    kinds = pd.DataFrame(
        [(r.id, kind, r.requires_pass) for r in requirements for kind in r.event_kinds],
        columns=["requirement", "kind", "requires_pass"],
    )
    events = facts.service_events.merge(kinds, on="kind")
    # A failed service is not evidence that the device is fit.
    events = events[(~events["requires_pass"] | (events["result"] == "pass")).to_numpy()]
    latest = events.sort_values(["performed_on", "id"]).drop_duplicates(
        ["requirement", "asset_pk"], keep="last"
    )
    return latest[["requirement", "asset_pk", "performed_on", "next_due_on"]]


def _passing(requirement: IntervalRequirement) -> str:
    return "passing " if requirement.requires_pass else ""
