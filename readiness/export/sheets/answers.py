"""Checklist items: every answer of every run dated in the period, in the words it was asked.

The wording comes from the stored template version each run used, not from today's
template files, so an inspector reads the question exactly as staff saw it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby

from sqlalchemy import Row as SqlRow
from sqlalchemy import select

from readiness.compliance.history.period import SiteInfo
from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, day, number, status, text
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import SITE, ZONE, moment, moment_values
from readiness.export.stream import Row
from readiness.models import ChecklistResponse, ChecklistRun
from readiness.policy.templates import Item, Template

# Rows fetched from the database per round trip.
BATCH = 5_000
VERSION_SHOWN = 12

ITEMS = SheetSpec(
    "Checklist items",
    (
        SITE,
        ZONE,
        day("Slot date"),
        text("Checklist", 20),
        text("Checklist version", 26),
        text("Version hash", 14),
        text("Asset", 10),
        number("Run ID", 9),
        status("Run state", 11),
        text("Signed by (printed name)", 20),
        *moment("Signed at"),
        text("Meaning", 10),
        number("Item no.", 6),
        text("Item ID", 16),
        text("Question", 44),
        text("Type", 9),
        text("Limits", 18),
        text("Answer", 18),
        status("Result", 8),
        text("Note", 30),
    ),
)

_RESULT = {True: "pass", False: "fail", None: "not answered"}


def items(ctx: ExportContext) -> SheetData:
    """One row per answer, run by run in date order, items in the template's order."""
    return SheetData(ITEMS, _rows(ctx))


def _rows(ctx: ExportContext) -> Iterator[Row]:
    for site in ctx.sites:
        answers = _answers(ctx, site)
        for _run_id, group in groupby(answers, key=lambda answer: answer.run_id):
            yield from _run_rows(ctx, site, list(group))


def _answers(ctx: ExportContext, site: SiteInfo) -> Iterable[SqlRow]:
    """The site's answers of runs dated in the period, streamed run by run."""
    run, answer = ChecklistRun, ChecklistResponse
    query = (
        select(
            run.id.label("run_id"),
            run.template_id,
            run.template_version,
            run.asset_pk,
            run.slot_date,
            run.submitted_at,
            run.signature_name,
            run.signature_meaning,
            run.record_state,
            answer.id.label("answer_id"),
            answer.item_id,
            answer.value,
            answer.passed,
            answer.note,
        )
        .join(answer, answer.run_id == run.id)
        .where(
            run.site_id == site.pk,
            run.slot_date >= ctx.request.start,
            run.slot_date <= ctx.request.end,
        )
        .order_by(run.slot_date, run.submitted_at, run.id, answer.id)
        .execution_options(yield_per=BATCH)
    )
    return ctx.session.execute(query)


def _run_rows(ctx: ExportContext, site: SiteInfo, answers: list[SqlRow]) -> Iterator[Row]:
    """The rows of one run's answers, in the order its template asked them."""
    first = answers[0]
    version: Template | None = ctx.versions.get(first.template_version)
    position = {item.id: n for n, item in enumerate(version.items, 1)} if version else {}
    wording = version.items_by_id if version else {}
    asset = ctx.asset_ids.get(first.asset_pk) if first.asset_pk is not None else None
    head = (
        site.code,
        site.tz,
        first.slot_date,
        first.template_id,
        ctx.version_names.get(first.template_version),
        first.template_version[:VERSION_SHOWN],
        asset,
        first.run_id,
        first.record_state,
        first.signature_name,
        *moment_values(first.submitted_at, site),
        first.signature_meaning,
    )
    ctx.tally["checklist runs"] += 1
    ordered = sorted(
        answers, key=lambda a: (position.get(a.item_id, len(position) + 1), a.answer_id)
    )
    for answer in ordered:
        item = wording.get(answer.item_id)
        ctx.tally["checklist answers"] += 1
        yield (
            *head,
            position.get(answer.item_id),
            answer.item_id,
            item.text if item else None,
            item.type if item else None,
            _limits(item),
            answer.value,
            _RESULT[answer.passed],
            answer.note,
        )


def _limits(item: Item | None) -> str | None:
    """What the answer was held to, e.g. "min 1000 psi", "after the check day"."""
    if item is None:
        return None
    unit = f" {item.unit}" if item.unit else ""
    parts = []
    if item.min is not None:
        parts.append(f"min {_number(item.min)}{unit}")
    if item.max is not None:
        parts.append(f"max {_number(item.max)}{unit}")
    if item.type == "date" and item.expires:
        parts.append("must be after the check day")
    if item.type == "seal" and item.change_needs_note is not False:
        parts.append("a changed number needs a note")
    return ", ".join(parts) or None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
