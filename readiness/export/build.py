"""Build the workbook: one consistent read of the database, every sheet streamed, then the
cover (first tab, written last: it names every sheet) and the manifest (last tab)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.checklist.in_force import templates_in_force
from readiness.db import Database
from readiness.export import cover, manifest, styles
from readiness.export.catalog import BUILDERS
from readiness.export.cells import CellValue, Toned, clean_row, screened_rows
from readiness.export.context import ExportContext, ExportRequest, resolve_sites
from readiness.export.layout import Column, lines_needed
from readiness.export.stream import (
    HashOnly,
    PartSink,
    Progress,
    SheetDigest,
    stream_sheet,
)
from readiness.export.workbook import ExcelSink, Sheet, new_book, save
from readiness.policy.pack import Policy, load_policy
from readiness.policy.templates import Template


@dataclass(frozen=True)
class ExportResult:
    """What was written: every sheet's digest, the cover's, and the audit chain head."""

    sheets: list[SheetDigest]
    cover: SheetDigest
    head: tuple[int, str]
    policy_version: str

    @property
    def manifest(self) -> dict[str, str]:
        """Sheet name -> SHA-256, the cover included."""
        return {d.name: d.sha256 for d in [*self.sheets, self.cover]}

    @property
    def worksheets(self) -> int:
        """Worksheets in the file: the data sheets, the cover and the manifest."""
        return manifest.sheet_count([self.cover, *self.sheets])


@dataclass(frozen=True)
class Rules:
    """The policy and checklist templates the export judges by."""

    policy: Policy
    templates: Mapping[str, Template]

    @classmethod
    def load(
        cls, policy: Policy | None = None, templates: Mapping[str, Template] | None = None
    ) -> Rules:
        """The given policy and templates, else those configured (READINESS_CHECKLISTS_DIR)."""
        policy = load_policy() if policy is None else policy
        return cls(policy, templates_in_force(policy=policy) if templates is None else templates)


# SQLite page cache while exporting (KiB): the export reads each page about once, so a
# large cache only holds memory (the connections' default is 64 MB).
EXPORT_CACHE_KIB = 8 * 1024


@contextmanager
def snapshot(db: Database) -> Iterator[Session]:
    """A read session that sees one state of the database throughout."""
    with db.read() as session:
        if db.dialect == "postgresql":
            # READ COMMITTED would let a commit land between two sheets' queries.
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session
            return
        before = session.execute(text("PRAGMA cache_size")).scalar_one()
        session.execute(text(f"PRAGMA cache_size = -{EXPORT_CACHE_KIB}"))
        try:
            yield session
        finally:
            session.execute(text(f"PRAGMA cache_size = {int(before)}"))


def context(session: Session, request: ExportRequest, rules: Rules) -> ExportContext:
    """The shared state of one export; the chain head is read first, in the same snapshot."""
    head = audit.head(session)
    sites = resolve_sites(session, request)
    return ExportContext(session, request, rules.policy, rules.templates, head, sites)


def render(
    ctx: ExportContext,
    sink: Callable[[], PartSink],
    *,
    progress: Progress | None = None,
    max_rows: int | None = None,
) -> list[SheetDigest]:
    """Stream every data sheet through a sink (workbook or hash only); their digests."""
    digests: list[SheetDigest] = []
    for build in BUILDERS:
        data = build(ctx)
        today = ctx.request.generated_at_utc.date()
        rows = screened_rows(data.spec.headers, data.rows, ctx.tally, today)
        digests += stream_sheet(data.spec, rows, sink(), max_rows=max_rows, progress=progress)
    return digests


def cover_rows(ctx: ExportContext, digests: list[SheetDigest]) -> list[cover.CoverRow]:
    """The cover, which names every sheet (so it is written once the sheets are)."""
    return cover.cover_rows(ctx, [*(d.name for d in digests), manifest.NAME])


def write_workbook(
    ctx: ExportContext,
    target: str | Path | IO[bytes],
    *,
    progress: Progress | None = None,
    max_rows: int | None = None,
) -> ExportResult:
    """Write the whole workbook to a path or binary file object."""
    book, style_ids = new_book()
    book.properties.creator = "Readiness"
    book.properties.title = cover.TITLE
    front = Sheet(book, style_ids, cover.NAME, cover.COLUMNS, portrait=True)  # filled last
    digests = render(ctx, lambda: ExcelSink(book, style_ids), progress=progress, max_rows=max_rows)
    rows = cover_rows(ctx, digests)
    own = cover.cover_digest(rows)
    _write_rows(front, rows, cover.COLUMNS)
    back = Sheet(book, style_ids, manifest.NAME, manifest.COLUMNS, portrait=True)
    _write_rows(back, manifest.manifest_rows(ctx, [own, *digests]), manifest.COLUMNS)
    save(book, target)
    return ExportResult(digests, own, ctx.head, ctx.policy.version)


def hash_only(ctx: ExportContext, *, max_rows: int | None = None) -> ExportResult:
    """The digests the export would have, without writing a file (for verify)."""
    digests = render(ctx, HashOnly, max_rows=max_rows)
    own = cover.cover_digest(cover_rows(ctx, digests))
    return ExportResult(digests, own, ctx.head, ctx.policy.version)


def _write_rows(
    sheet: Sheet, rows: list[tuple[CellValue | Toned, ...]], columns: tuple[Column, ...]
) -> None:
    """Label/value rows made safe, padded to the sheet's width, each as tall as its wrapped
    text; then the sheet is closed."""
    for row in rows:
        clean = clean_row(list(row)) + [None] * (len(columns) - len(row))
        sheet.rows.write(clean, height=_height(clean, columns))
    sheet.close(autofilter=False)


def _height(row: list[CellValue | Toned], columns: tuple[Column, ...]) -> float | None:
    """Points for a row whose wrapped ("prose") text needs more than one line; else None."""
    lines = 1
    for value, column in zip(row, columns, strict=True):
        if isinstance(value, Toned) and "prose" in value.tone.split("+"):
            lines = max(lines, lines_needed(str(value.value), column.width))
        elif isinstance(value, Toned) and value.tone == "title":
            return styles.TITLE_POINTS
    return lines * styles.LINE_POINTS if lines > 1 else None
