"""The engine's verdicts at the end of the period, judged once per export and shared.

The Summary, Certifications and Equipment register sheets and the cover's readiness
table all read the same items, so the workbook can never state a status the engine
(and `readiness status --as-of END`) would not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from readiness.compliance import compliance_items, scenario_readiness
from readiness.export.context import ExportContext
from readiness.rules.status import Status, worst

# Sites judged per call: the engine's working frames for a whole large practice at once
# would dominate the export's memory; its fixed cost is about a second per call.
SITES_PER_CALL = 50


@dataclass(frozen=True)
class Verdict:
    """One subject's status under some requirements, and the sentences behind it."""

    status: Status
    due_on: date | None
    details: tuple[str, ...]


def end_items(ctx: ExportContext) -> pd.DataFrame:
    """Every compliance item of the export's sites as of the period's last day."""
    found = ctx.shared.get("end_items")
    if found is None:
        found = ctx.shared["end_items"] = _judge(ctx)
    assert isinstance(found, pd.DataFrame)
    return found


def _judge(ctx: ExportContext) -> pd.DataFrame:
    parts = []
    for first in range(0, len(ctx.sites), SITES_PER_CALL):
        codes = [site.code for site in ctx.sites[first : first + SITES_PER_CALL]]
        parts.append(
            compliance_items(
                ctx.session,
                ctx.policy,
                as_of=dict.fromkeys(codes, ctx.request.end),
                sites=codes,
                templates=ctx.templates,
                now_utc=ctx.now_utc,
            )
        )
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def readiness(ctx: ExportContext) -> pd.DataFrame:
    """Per site and scenario at the period end: ready, and what blocks it (the engine's)."""
    return scenario_readiness(end_items(ctx), ctx.policy)


def by_subject(ctx: ExportContext, requirements: set[str]) -> dict[tuple[str, str], Verdict]:
    """(site, subject) -> the worst verdict over the given requirements."""
    items = end_items(ctx)
    items = items[items["requirement"].isin(sorted(requirements)).to_numpy()]
    found: dict[tuple[str, str], Verdict] = {}
    titles = {rid: r.title for rid, r in ctx.policy.requirements.items()}
    for (site, subject), group in items.groupby(["site", "subject"], sort=False):
        state = worst(list(group["status"]))
        first = group[(group["status"] == str(state)).to_numpy()].iloc[0]
        due = first["due_on"]
        details = tuple(
            f"{titles.get(rid, rid)}: {status} — {detail}" if detail else f"{rid}: {status}"
            for rid, status, detail in zip(
                group["requirement"], group["status"], group["detail"], strict=True
            )
            if Status(status).severity > Status.OK.severity
        )
        found[(str(site), str(subject))] = Verdict(
            state, None if pd.isna(due) else pd.Timestamp(due).date(), details
        )
    return found
