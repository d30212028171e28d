"""Is a workbook genuine? Its cells against its manifest, and against the database.

1. Every sheet's SHA-256 is recomputed from the file's cells (openpyxl, read-only)
   and compared with the cover's manifest: an edited cell changes its sheet's hash.
   A formula cell, an external link, or a sheet added or removed is a difference too.
2. Every sheet is regenerated from the database for the cover's parameters and
   compared with the file. When records were written since the export, the database
   is first wound back to the export's audit chain head (`readiness.export.replay`),
   so a workbook stays verifiable after the clinic has carried on working.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select

from readiness.db import Database
from readiness.errors import UserError
from readiness.export import cover, styles
from readiness.export.build import Rules, context, hash_only, snapshot
from readiness.export.cells import CellValue, line_of
from readiness.export.replay import replayed
from readiness.export.stream import SheetDigest
from readiness.models import AuditEvent


@dataclass
class VerifyReport:
    """What verify found: the differing sheets, with a reason each."""

    path: Path
    sheets: int = 0
    head: tuple[int, str] = (0, "")
    replayed: bool = False
    differences: dict[str, list[str]] = field(default_factory=dict)

    @property
    def genuine(self) -> bool:
        """True when nothing differs."""
        return not self.differences

    def differ(self, sheet: str, why: str) -> None:
        """Record a difference of one sheet."""
        self.differences.setdefault(sheet, []).append(why)

    def summary(self) -> str:
        """One line for the command line."""
        if self.genuine:
            how = " (database wound back to that head)" if self.replayed else ""
            return (
                f"genuine: {self.path.name} matches the database in all {self.sheets} sheets;"
                f" audit chain head {self.head[0]} {self.head[1][:16]}…{how}"
            )
        return f"not genuine: {self.path.name}: differs in {', '.join(self.differences)}"


def check_workbook(db: Database, path: Path, *, rules: Rules | None = None) -> VerifyReport:
    """Compare the file with its manifest and with the database; never raises for a mismatch."""
    report = VerifyReport(path)
    found = _read(path)
    facts = _cover(found.cover_rows)
    report.head = facts.head
    report.sheets = len(facts.manifest)
    _check_package(path, report)
    for sheet, cells in found.formulas.items():
        report.differ(sheet, f"holds formulas ({', '.join(cells[:3])})")
    _check_file(found.digests, facts, report)
    _check_database(db, facts, rules or Rules.load(), report)
    return report


def verify_workbook(db: Database, path: Path) -> int:
    """`readiness verify FILE.xlsx`: print the result; exit 0 when genuine, else a UserError."""
    report = check_workbook(db, path)
    if not report.genuine:
        for sheet, reasons in report.differences.items():
            for reason in reasons:
                print(f"{sheet}: {reason}", file=sys.stderr)
        raise UserError(report.summary())
    print(report.summary())
    return 0


# --- the file --------------------------------------------------------------------------


@dataclass
class _FileSheets:
    """What a workbook holds, read once: each sheet's digest, the cover's rows, formulas."""

    digests: dict[str, SheetDigest] = field(default_factory=dict)
    cover_rows: list[list[CellValue]] | None = None
    formulas: dict[str, list[str]] = field(default_factory=dict)


def _read(path: Path) -> _FileSheets:
    """Every sheet hashed as it is read (memory stays flat), the cover's rows kept."""
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError) as error:
        raise UserError(f"cannot read {path}: not an Excel workbook ({error})") from None
    found = _FileSheets()
    try:
        for sheet in book.worksheets:
            rows = _rows(sheet, found.formulas)
            if sheet.title == cover.NAME:
                found.cover_rows = list(rows)
                found.digests[sheet.title] = cover.cover_digest(found.cover_rows)
            else:
                found.digests[sheet.title] = _digest(sheet.title, rows)
    finally:
        book.close()
    return found


def _rows(sheet: Any, formulas: dict[str, list[str]]) -> Iterator[list[CellValue]]:
    for row in sheet.iter_rows():
        values: list[CellValue] = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                formulas.setdefault(sheet.title, []).append(cell.coordinate)
            values.append(_value(cell))
        yield values


def _value(cell: Any) -> CellValue:
    """A cell's value as the export wrote it: dates by their number format."""
    value = cell.value
    if isinstance(value, datetime):
        if cell.number_format == styles.DATE_FORMAT:
            return value.date()
        # Excel keeps days as a float: round to the second the export wrote.
        if value.microsecond >= 500_000:
            value += timedelta(seconds=1)
        return value.replace(microsecond=0)
    if type(value) in _WRITTEN:
        return value
    # Booleans, times, errors: never written by the export, so typed apart from text.
    return f"{type(value).__name__}:{value}"


_WRITTEN = frozenset({str, int, float, date, type(None)})


def _cover(rows: list[list[CellValue]] | None) -> cover.CoverFacts:
    if rows is None:
        raise UserError("not a Readiness export: the workbook has no Cover sheet")
    try:
        return cover.read_cover(rows)
    except (KeyError, ValueError, TypeError) as error:
        raise UserError(f"not a Readiness export: its cover cannot be read ({error})") from None


def _check_package(path: Path, report: VerifyReport) -> None:
    """External links are never written by the export."""
    with zipfile.ZipFile(path) as package:
        links = [name for name in package.namelist() if "externalLink" in name]
    if links:
        report.differ("workbook", f"has external link parts ({', '.join(links)})")


def _check_file(
    digests: dict[str, SheetDigest], facts: cover.CoverFacts, report: VerifyReport
) -> None:
    """Each sheet's cells against the manifest."""
    for name, found in digests.items():
        listed = facts.manifest.get(name)
        if listed is None:
            report.differ(name, "is not in the manifest (a sheet was added)")
        elif listed.sha256 != found.sha256:
            report.differ(name, "its cells do not match the manifest (edited after export)")
    for name in facts.manifest:
        if name not in digests:
            report.differ(name, "is in the manifest but missing from the file")


def _digest(name: str, rows: Iterable[Sequence[CellValue]]) -> SheetDigest:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(line_of(row))
        count += 1
    return SheetDigest(name, count, digest.hexdigest())


# --- the database ------------------------------------------------------------------------


def _check_database(
    db: Database, facts: cover.CoverFacts, rules: Rules, report: VerifyReport
) -> None:
    """Regenerate every sheet's digest from the database at the export's chain head."""
    seq, expected = facts.head
    with snapshot(db) as session:
        found = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
        newest = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
        if seq and found != expected:
            report.differ(
                cover.NAME,
                f"its audit chain head (event {seq}) is not in this database's audit trail",
            )
            return
        if (newest or 0) == seq:
            result = hash_only(context(session, facts.request, rules))
            return _compare([*result.sheets, result.cover], facts, rules, report)
    report.replayed = True
    with replayed(db, seq) as past, snapshot(past) as session:
        result = hash_only(context(session, facts.request, rules))
    _compare([*result.sheets, result.cover], facts, rules, report)


def _compare(
    digests: list[SheetDigest], facts: cover.CoverFacts, rules: Rules, report: VerifyReport
) -> None:
    why = "does not match the database"
    if facts.policy_version != rules.policy.version:
        why += " (the policy has changed since the export: judged by a different version)"
    for digest in digests:
        listed = facts.manifest.get(digest.name)
        if listed is None:
            report.differ(digest.name, "the database gives this sheet; the file has none")
        elif listed.sha256 != digest.sha256:
            report.differ(digest.name, why)
    regenerated = {d.name for d in digests}
    for name in facts.manifest:
        if name not in regenerated:
            report.differ(name, "the database gives no such sheet")
