"""Checklist log: one row per slot due in the period, done or missed, by whom and when.

Slots come from the checklist templates in force (as for the compliance engine),
computed with `readiness.rules.slots` in the site's own time zone. A per-asset slot is
owed when its asset was in service on the slot's due day by its status history (see
`readiness.export.lifetimes`), as the engine judges it; when the asset was recorded does
not matter. A slot that a run fills is always listed, whatever the records say about it
being owed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from sqlalchemy import Row as SqlRow
from sqlalchemy import select

from readiness.compliance.history.period import SiteInfo, slot_dates_over
from readiness.export.cells import CellValue
from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, day, number, status, text
from readiness.export.lifetimes import AssetStatuses
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import SITE, ZONE, moment, moment_values
from readiness.export.stream import Row
from readiness.models import Asset, ChecklistResponse, ChecklistRun
from readiness.policy.templates import Template
from readiness.rules import slots
from readiness.rules.wall_time import local, utc

DONE, MISSED, NOT_YET_DUE = "done", "missed", "not yet due"

LOG = SheetSpec(
    "Checklist log",
    (
        SITE,
        ZONE,
        day("Slot date"),
        text("Checklist", 20),
        text("Title", 28),
        text("Asset", 10),
        *moment("Due by"),
        status("Status", 11),
        status("Late", 6),
        text("Signed by (printed name)", 20),
        *moment("Signed at"),
        text("Meaning", 10),
        text("Failed items", 40),
        text("Run note", 24),
        number("Run ID", 9),
        text("Corrected runs", 30),
    ),
)


@dataclass(frozen=True)
class _Slot:
    """One slot of one template at a site (asset None for site checklists)."""

    slot_date: date
    due_utc: datetime
    template_id: str
    asset_id: str | None


def log(ctx: ExportContext) -> SheetData:
    """Every slot due in the period at the export's sites."""
    return SheetData(LOG, _log_rows(ctx))


def _log_rows(ctx: ExportContext) -> Iterator[Row]:
    for site in ctx.sites:
        runs = _Runs(ctx, site)
        owed = _owed_slots(ctx, site)
        keyed = {_key(slot, site): slot for slot in owed}
        for key, run in runs.current.items():
            if key not in keyed:
                keyed[key] = _slot_of_run(ctx, site, run)
        for key, slot in sorted(keyed.items(), key=lambda pair: _order(pair[1])):
            yield _log_row(ctx, site, slot, runs, key)


def _order(slot: _Slot) -> tuple[date, datetime, str, str]:
    return (slot.slot_date, slot.due_utc, slot.template_id, slot.asset_id or "")


def _key(slot: _Slot, site: SiteInfo) -> str:
    """The slot key runs carry (see readiness.checklist.slot.slot_key)."""
    return f"{slot.template_id}|{site.code}|{slot.asset_id or '-'}|{slot.slot_date.isoformat()}"


def _log_row(ctx: ExportContext, site: SiteInfo, slot: _Slot, runs: _Runs, key: str) -> Row:
    run = runs.current.get(key)
    template = ctx.templates.get(slot.template_id)
    if run is None:
        state = MISSED if slot.due_utc <= ctx.now_utc else NOT_YET_DUE
        ctx.tally[f"slots {state}"] += 1
        signer: tuple[CellValue, ...] = (None,) * 8
    else:
        state = DONE
        ctx.tally["slots done"] += 1
        ctx.tally["slots done late"] += bool(run.late)
        version = ctx.versions.get(run.template_version)
        template = template or version
        signer = (
            "yes" if run.late else "no",
            run.signature_name,
            *moment_values(run.submitted_at, site),
            run.signature_meaning,
            _failed_text(runs.failures.get(run.id, []), version),
            run.note,
            run.id,
        )
    return (
        site.code,
        site.tz,
        slot.slot_date,
        slot.template_id,
        template.title if template else None,
        slot.asset_id,
        local(slot.due_utc, site.tz),
        utc(slot.due_utc),
        state,
        *signer,
        runs.corrections_text(key),
    )


def _failed_text(failures: list[SqlRow], version: Template | None) -> str | None:
    """E.g. "o2_psi Oxygen cylinder pressure: 950 psi (note: ...)"; None without failures."""
    items = version.items_by_id if version else {}
    parts = []
    for failure in failures:
        item = items.get(failure.item_id)
        words = f"{failure.item_id} {item.text}" if item else failure.item_id
        answer = f": {failure.value}" if failure.value is not None else ""
        note = f" (note: {failure.note})" if failure.note else ""
        parts.append(f"{words}{answer}{note}")
    return "; ".join(parts) or None


class _Runs:
    """The site's slotted runs dated in the period: the current one per slot, and corrections."""

    def __init__(self, ctx: ExportContext, site: SiteInfo) -> None:
        query = (
            select(ChecklistRun.__table__)
            .where(
                ChecklistRun.site_id == site.pk,
                ChecklistRun.slot_key.is_not(None),
                ChecklistRun.slot_date >= ctx.request.start,
                ChecklistRun.slot_date <= ctx.request.end,
            )
            .order_by(ChecklistRun.id)
        )
        self.current: dict[str, SqlRow] = {}
        self.others: dict[str, list[SqlRow]] = defaultdict(list)
        for run in ctx.session.execute(query):
            if run.record_state == "current":
                self.current[run.slot_key] = run
            else:
                self.others[run.slot_key].append(run)
        self.failures = _failures(ctx, site)

    def corrections_text(self, key: str) -> str | None:
        """Runs of the slot that were superseded or voided, e.g. "run 12 voided: wrong site"."""
        parts = []
        for run in self.others.get(key, []):
            why = f": {run.void_reason}" if run.void_reason else ""
            parts.append(f"run {run.id} {run.record_state}{why}")
        return "; ".join(parts) or None


def _failures(ctx: ExportContext, site: SiteInfo) -> dict[int, list[SqlRow]]:
    """Failed answers of the site's runs dated in the period, by run id."""
    query = (
        select(
            ChecklistResponse.run_id,
            ChecklistResponse.item_id,
            ChecklistResponse.value,
            ChecklistResponse.note,
        )
        .join(ChecklistRun, ChecklistRun.id == ChecklistResponse.run_id)
        .where(
            ChecklistRun.site_id == site.pk,
            ChecklistRun.slot_date >= ctx.request.start,
            ChecklistRun.slot_date <= ctx.request.end,
            ChecklistResponse.passed.is_(False),
        )
        .order_by(ChecklistResponse.run_id, ChecklistResponse.id)
    )
    found: dict[int, list[SqlRow]] = defaultdict(list)
    for row in ctx.session.execute(query):
        found[row.run_id].append(row)
    return found


# --- which slots are owed -----------------------------------------------------------


def _owed_slots(ctx: ExportContext, site: SiteInfo) -> list[_Slot]:
    """The site's slots dated in the period that someone owed."""
    assets = ctx.session.execute(
        select(Asset.id, Asset.asset_id, Asset.kind, Asset.status).where(Asset.site_id == site.pk)
    ).all()
    statuses = AssetStatuses(ctx.session, [site.pk])
    owed: list[_Slot] = []
    for template in sorted(ctx.templates.values(), key=lambda t: t.id):
        if template.frequency == "per_use":
            continue
        subjects = [a for a in assets if a.kind == template.applies_to]
        # Each slot as the open days in force on its day set it (they change over time).
        spans = site.open_day_spans(ctx.request.start, ctx.request.end)
        for slot_date, open_days in slot_dates_over(template.frequency, spans):
            due = _due(template.frequency, slot_date, open_days, template.due_by, site.tz)
            if not template.per_asset:
                owed.append(_Slot(slot_date, due, template.id, None))
                continue
            due_on = slots.slot_due_date(template.frequency, slot_date, open_days)
            for asset in subjects:
                if statuses.in_service_on(asset.id, asset.status, due_on):
                    owed.append(_Slot(slot_date, due, template.id, asset.asset_id))
    return owed


def _slot_of_run(ctx: ExportContext, site: SiteInfo, run: SqlRow) -> _Slot:
    """The slot a run fills, for runs of slots not found owed (or of retired templates)."""
    template = ctx.templates.get(run.template_id) or ctx.versions.get(run.template_version)
    asset_id = ctx.asset_ids.get(run.asset_pk) if run.asset_pk is not None else None
    if template is None or template.frequency == "per_use":
        due = slots.day_end_instant(run.slot_date, site.tz)
    else:
        open_days = site.open_days_on(run.slot_date)
        due = _due(template.frequency, run.slot_date, open_days, template.due_by, site.tz)
    return _Slot(run.slot_date, due, run.template_id, asset_id)


@lru_cache(maxsize=65_536)
def _due(
    frequency: slots.Frequency,
    slot_date: date,
    open_days: frozenset[int],
    due_by: time | None,
    tz: str,
) -> datetime:
    """The UTC instant a slot falls due (see readiness.checklist.slot.deadline)."""
    due_on = slots.slot_due_date(frequency, slot_date, open_days)
    if due_by is None:
        return slots.day_end_instant(due_on, tz)
    return slots.due_instant(due_on, due_by, tz)
