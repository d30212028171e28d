"""Is a workbook genuine? Its cells against its manifest, and against the database.

1. Every sheet's SHA-256 is recomputed from the file's cells, streamed from the sheet
   XML (`readiness.export.reader`), and compared with the Manifest sheet: an edited
   cell changes its sheet's hash. A formula cell, an external link, or a sheet added
   or removed is a difference too.
2. Every sheet is regenerated from the database for the manifest's parameters and
   compared with the file. When records were written since the export, the database
   is first wound back to the export's audit chain head (`readiness.export.replay`),
   so a workbook stays verifiable after the clinic has carried on working.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from readiness.db import Database
from readiness.errors import UserError
from readiness.export import manifest
from readiness.export.build import Rules, context, hash_only, snapshot
from readiness.export.cells import CellValue, line_of
from readiness.export.reader import Workbook
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
    facts = _facts(found.manifest_rows)
    report.head = facts.head
    report.sheets = manifest.sheet_count(list(found.digests.values()))
    _check_package(found.parts, report)
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
    """What a workbook holds, read once: each sheet's digest, the manifest's rows, formulas."""

    digests: dict[str, SheetDigest] = field(default_factory=dict)
    manifest_rows: list[list[CellValue]] | None = None
    formulas: dict[str, list[str]] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)


def _read(path: Path) -> _FileSheets:
    """Every sheet hashed as it is streamed (memory stays flat), the manifest's rows kept."""
    try:
        book = Workbook(path)
    except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError) as error:
        raise UserError(f"cannot read {path}: not an Excel workbook ({error})") from None
    found = _FileSheets(parts=book.names())
    try:
        for sheet in book.sheets:
            if sheet.name == manifest.NAME:
                found.manifest_rows = book.read(sheet, list)
            else:
                found.digests[sheet.name] = book.read(sheet, _digester(sheet.name))
            if sheet.formulas:
                found.formulas[sheet.name] = sheet.formulas
    except (KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise UserError(f"cannot read {path}: a sheet is damaged ({error})") from None
    finally:
        book.close()
    return found


def _digester(name: str) -> Callable[[Iterable[Sequence[CellValue]]], SheetDigest]:
    def digest(rows: Iterable[Sequence[CellValue]]) -> SheetDigest:
        return _digest(name, rows)

    return digest


def _facts(rows: list[list[CellValue]] | None) -> manifest.ManifestFacts:
    if rows is None:
        raise UserError(f"not a Readiness export: the workbook has no {manifest.NAME} sheet")
    try:
        return manifest.read_manifest(rows)
    except (KeyError, ValueError, TypeError) as error:
        raise UserError(
            f"not a Readiness export: its {manifest.NAME} sheet cannot be read ({error})"
        ) from None


def _check_package(parts: list[str], report: VerifyReport) -> None:
    """External links are never written by the export."""
    links = [name for name in parts if "externalLink" in name]
    if links:
        report.differ("workbook", f"has external link parts ({', '.join(links)})")


def _check_file(
    digests: dict[str, SheetDigest], facts: manifest.ManifestFacts, report: VerifyReport
) -> None:
    """Each sheet's cells against the manifest."""
    for name, found in digests.items():
        listed = facts.digests.get(name)
        if listed is None:
            report.differ(name, "is not in the manifest (a sheet was added)")
        elif listed.sha256 != found.sha256:
            report.differ(name, "its cells do not match the manifest (edited after export)")
    for name in facts.digests:
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
    db: Database, facts: manifest.ManifestFacts, rules: Rules, report: VerifyReport
) -> None:
    """Regenerate every sheet's digest from the database at the export's chain head."""
    seq, expected = facts.head
    with snapshot(db) as session:
        found = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
        newest = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
        if seq and found != expected:
            report.differ(
                manifest.NAME,
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
    digests: list[SheetDigest], facts: manifest.ManifestFacts, rules: Rules, report: VerifyReport
) -> None:
    why = "does not match the database"
    if facts.policy_version != rules.policy.version:
        why += " (the policy has changed since the export: judged by a different version)"
    for digest in digests:
        listed = facts.digests.get(digest.name)
        if listed is None:
            report.differ(digest.name, "the database gives this sheet; the file has none")
        elif listed.sha256 != digest.sha256:
            report.differ(digest.name, why)
    regenerated = {d.name for d in digests}
    for name in facts.digests:
        if name not in regenerated:
            report.differ(name, "the database gives no such sheet")
