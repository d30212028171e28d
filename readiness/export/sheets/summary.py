"""Summary: each requirement at each site, its status at the end of the period and the
days it was out of compliance within it (see `readiness.compliance.history.lapses`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd

from readiness.compliance.history.lapses import days_out
from readiness.compliance.history.period import SiteInfo
from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, day, number, status, text
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import SITE
from readiness.export.stream import Row
from readiness.export.verdicts import SITES_PER_CALL, end_items
from readiness.rules import slots
from readiness.rules.status import BLOCKING, Status, worst

SUMMARY = SheetSpec(
    "Summary",
    (
        SITE,
        text("Requirement", 24),
        text("Title", 36),
        text("Category", 12),
        number("Subjects", 8),
        status("Status at period end", 13),
        number("Not compliant at period end", 12),
        text("Subjects not compliant", 28),
        number("Days out of compliance", 12),
        number("Days judged", 8),
        day("Earliest due on"),
        text("Detail (most severe subject)", 60),
    ),
)


def summary(ctx: ExportContext) -> SheetData:
    """One row per site and requirement of the policy, in the policy's order."""
    return SheetData(SUMMARY, _rows(ctx))


def _rows(ctx: ExportContext) -> Iterator[Row]:
    # A few dozen sites at a time, as the engine judged them (the day masks behind the
    # days out would take as much memory for a whole large practice at once).
    for first in range(0, len(ctx.sites), SITES_PER_CALL):
        yield from _chunk_rows(ctx, ctx.sites[first : first + SITES_PER_CALL])


def _chunk_rows(ctx: ExportContext, sites: list[SiteInfo]) -> Iterator[Row]:
    request = ctx.request
    judged = end_items(ctx)
    items = judged[judged["site"].isin([site.code for site in sites]).to_numpy()]
    lapses = days_out(
        ctx.session,
        ctx.policy,
        ctx.templates,
        sites,
        items,
        start=request.start,
        end=request.end,
        now_utc=ctx.now_utc,
    )
    order = {rid: n for n, rid in enumerate(ctx.policy.requirements)}
    groups: dict[str, dict[str, pd.DataFrame]] = {}
    for (code, requirement_id), group in items.groupby(["site", "requirement"], sort=False):
        groups.setdefault(str(code), {})[str(requirement_id)] = group
    for site in sites:
        days = _days_judged(request.start, request.end, slots.site_today(ctx.now_utc, site.tz))
        found = groups.get(site.code, {})
        for requirement_id in sorted(found, key=lambda rid: order.get(rid, len(order))):
            yield _row(ctx, site.code, requirement_id, found[requirement_id], lapses, days)


def _row(
    ctx: ExportContext,
    code: str,
    requirement_id: str,
    group: pd.DataFrame,
    lapses: dict[tuple[str, str], int],
    judged: int,
) -> Row:
    requirement = ctx.policy.requirements[requirement_id]
    state = worst(list(group["status"]))
    failing = group[group["status"].isin([str(s) for s in BLOCKING])]
    ctx.tally[f"requirements {state}"] += 1
    return (
        code,
        requirement_id,
        requirement.title,
        requirement.category,
        len(group),
        str(state),
        len(failing),
        ", ".join(failing["subject"]) or None,
        lapses.get((code, requirement_id), 0),
        judged,
        _earliest(group["due_on"]),
        _worst_detail(group, state),
    )


def _days_judged(start: date, end: date, today: date) -> int:
    """Days of the period up to the site's today."""
    return max(0, (min(end, today) - start).days + 1)


def _earliest(dues: pd.Series) -> date | None:
    found = dues.dropna()
    return None if found.empty else pd.Timestamp(found.min()).date()


def _worst_detail(group: pd.DataFrame, state: Status) -> str | None:
    """The sentence of the first subject with the worst status, named."""
    first = group[group["status"] == str(state)].iloc[0]
    return f"{first['subject']}: {first['detail']}" if first["detail"] else None
