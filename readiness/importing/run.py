"""CSV and XLSX import with a row-level report, all or nothing (`readiness import`).

Files are read a row at a time and their cells parsed before the write transaction
opens (a file over READINESS_IMPORT_MAX_MB is refused before it is read); then, in
one transaction, each file in dependency order has its ids looked up, is matched
against stored rows and written through the record services (so rows of a later
file can refer to rows an earlier file of the same import created). Any error,
or a dry run, rolls the whole transaction back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from readiness.db import Database
from readiness.errors import UserError
from readiness.importing.field_rules import checked
from readiness.importing.kinds import KINDS, Kind, kind_named
from readiness.importing.matching import first_of_each, plan
from readiness.importing.references import Directory, resolve
from readiness.importing.report import Counts, FileResult, ImportReport, Problem
from readiness.importing.rows import Row, layout, parse_rows
from readiness.importing.sheet import SUFFIXES, SheetError, read_sheet
from readiness.importing.writer import write
from readiness.migrate import refresh_statistics
from readiness.policy.current import derive_expiry

__all__ = [
    "Counts",
    "FileResult",
    "ImportReport",
    "Problem",
    "derive_expiry",
    "import_dir",
    "import_file",
]


@dataclass
class Upload:
    """One file to import: its kind, where it is and how errors name it."""

    kind: Kind
    path: Path
    name: str
    # None when the file could not be read or lacks a required column.
    rows: list[Row] | None = None
    result: FileResult = field(init=False)

    def __post_init__(self) -> None:
        self.result = FileResult(self.name, self.kind.name)


class _Discard(Exception):
    """Raised inside the write block to roll back an import with errors, or a dry run."""


def import_file(
    db: Database,
    kind: str,
    path: Path,
    *,
    dry_run: bool,
    actor: str,
    ignore_columns: bool = False,
) -> ImportReport:
    """Import one CSV or XLSX file of `kind`; errors name the file as `path` is given.

    An unknown column is an error unless `ignore_columns` (then it is reported and skipped).
    """
    upload = Upload(kind_named(kind), path, str(path))
    report = ImportReport(dry_run=dry_run)
    return _import(db, [upload], report, actor=actor, ignore_columns=ignore_columns)


def import_dir(
    db: Database,
    directory: Path,
    *,
    dry_run: bool,
    actor: str,
    ignore_columns: bool = False,
) -> ImportReport:
    """Import every known file in `directory` (the file name is the kind), all or nothing."""
    report = ImportReport(dry_run=dry_run)
    uploads = _uploads_in(directory, report)
    if report.problems:
        return report
    return _import(db, uploads, report, actor=actor, ignore_columns=ignore_columns)


def _uploads_in(directory: Path, report: ImportReport) -> list[Upload]:
    """The import files of a directory in dependency order; others noted as unknown."""
    if not directory.is_dir():
        raise UserError(f"{directory}: not a directory")
    found: dict[str, list[Path]] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue  # .DS_Store and friends are nobody's import file
        kind = KINDS.get(path.stem.lower()) if path.suffix.lower() in SUFFIXES else None
        if kind is None:
            report.unknown_files.append(path.name)
        else:
            found.setdefault(kind.name, []).append(path)
    for kind_name, paths in found.items():
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problem = f"two files of kind {kind_name} ({names}); keep one"
            report.problems.append(Problem(paths[-1].name, problem))
    if not found:
        expected = ", ".join(f"{k}.csv" for k in KINDS)
        raise UserError(f"{directory}: no import files (expected {expected}, or .xlsx)")
    return [Upload(KINDS[k], found[k][0], found[k][0].name) for k in KINDS if k in found]


def _import(
    db: Database, uploads: list[Upload], report: ImportReport, *, actor: str, ignore_columns: bool
) -> ImportReport:
    for upload in uploads:
        report.files.append(upload.result)
        _read(upload, report, ignore_columns=ignore_columns)
    readable = [u for u in uploads if u.rows is not None]
    if not readable:
        return report
    try:
        with db.write() as session:
            for upload in readable:
                _load(session, upload, report, actor=actor)
            if not report.written:
                raise _Discard
    except _Discard:
        return report
    # New rows can change which index answers a query best: keep the statistics current.
    refresh_statistics(db.engine)
    return report


def _read(upload: Upload, report: ImportReport, *, ignore_columns: bool) -> None:
    """Read and parse a file's rows as they arrive (no database yet); errors go to the report."""
    try:
        sheet = read_sheet(upload.path, upload.name)
    except SheetError as exc:
        report.problems.append(Problem(upload.name, str(exc), exc.row, exc.column))
        return
    try:
        where = layout(sheet, upload.kind, report.problems, ignore_columns=ignore_columns)
        if where is None:
            return
        upload.result.ignored_columns = where.unknown
        upload.rows = parse_rows(sheet, upload.kind, where, report.problems)
    except SheetError as exc:  # a broken record or the row limit, met part-way through
        report.problems.append(Problem(upload.name, str(exc), exc.row, exc.column))
    finally:
        sheet.close()


def _load(session: Session, upload: Upload, report: ImportReport, *, actor: str) -> None:
    """Resolve, match and write one file's valid rows inside the import's transaction."""
    kind, name, rows = upload.kind, upload.name, upload.rows or []
    # Valid rows are written even when other rows failed, so that later files can find
    # the ids they create; the transaction is rolled back at the end in that case.
    directory = Directory.load(session, kind, rows)
    records = resolve(kind, rows, directory, name, report.problems)
    records = checked(session, kind, records, name, report.problems)
    records = first_of_each(kind, records, name, report.problems)
    upload.result.counts = write(
        session, kind, plan(session, kind, records), file=name, actor=actor
    )
