"""Equipment requirements: service every interval (interval) and dates on the asset (expiry)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from readiness.compliance.detail import capitalised, either, iso, pick, span, thing
from readiness.compliance.facts import Facts
from readiness.compliance.recurring import judge, next_due
from readiness.compliance.subjects import assets_for, not_in_service, without_duty
from readiness.compliance.table import Verdicts, judged, per_row, windows
from readiness.policy.requirements import ExpiryRequirement, IntervalRequirement
from readiness.rules.due import DATE_DTYPE, days_until_series, due_status_series
from readiness.rules.status import Status

KEY = ["requirement", "asset_pk"]


def interval_items(requirements: Sequence[IntervalRequirement], facts: Facts) -> Verdicts:
    """Per asset: due an interval after its last passing service event of the listed kinds;
    `failed` while the latest such event on or before as_of failed."""
    rows = assets_for(requirements, facts)
    events = _events(requirements, facts)
    passed = _latest(events[events["counts"].to_numpy()])[[*KEY, "performed_on", "next_due_on"]]
    rows = rows.merge(passed, on=KEY, how="left")
    rows = rows.merge(_latest(events, prefix="latest_"), on=KEY, how="left")
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
    # The inspector's reading: the latest result decides, whatever an earlier pass says.
    failing = rows["latest_counts"].eq(False).to_numpy()
    status = status.where(~failing, str(Status.FAILED))
    detail = detail.where(~failing, _failure(rows, requirements))
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


def _events(requirements: Sequence[IntervalRequirement], facts: Facts) -> pd.DataFrame:
    """Service events of each requirement's kinds, oldest first (same day: record order),
    with `counts`: whether the event is evidence (a pass, where a pass is required)."""
    kinds = pd.DataFrame(
        [(r.id, kind, r.requires_pass) for r in requirements for kind in r.event_kinds],
        columns=["requirement", "kind", "requires_pass"],
    )
    events = facts.service_events.merge(kinds, on="kind")
    # A failed service is not evidence that the device is fit.
    counts = ~events["requires_pass"].astype(bool) | (events["result"] == "pass")
    return events.assign(counts=counts.astype(bool)).sort_values(["performed_on", "id"])


def _latest(events: pd.DataFrame, prefix: str = "") -> pd.DataFrame:
    """The latest event per requirement and asset, its columns but the key named with `prefix`."""
    latest = events.drop_duplicates(KEY, keep="last")
    columns = ["kind", "performed_on", "next_due_on", "certificate_number", "notes", "counts"]
    return latest[[*KEY, *columns]].rename(columns={c: prefix + c for c in columns})


def _failure(rows: pd.DataFrame, requirements: Sequence[IntervalRequirement]) -> pd.Series:
    """E.g. "Calibration failed on 2026-06-10 (certificate C-7: output 18% low); cleared by a
    passing service or calibration"."""
    kind = rows["latest_kind"].fillna("").astype("str").str.capitalize()
    certificate = rows["latest_certificate_number"].fillna("").astype("str").str.strip()
    notes = rows["latest_notes"].fillna("").astype("str").str.strip()
    record = either(certificate != "", "certificate " + certificate) + either(
        (certificate != "") & (notes != ""), ": "
    )
    record = record + notes
    clears = per_row(
        rows, [f"; cleared by a passing {' or '.join(r.event_kinds)}" for r in requirements]
    )
    return (
        kind
        + " failed on "
        + iso(rows["latest_performed_on"])
        + either(record != "", " (" + record + ")")
        + clears
    )


def _passing(requirement: IntervalRequirement) -> str:
    return "passing " if requirement.requires_pass else ""
