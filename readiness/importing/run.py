"""CSV and XLSX import with a row-level report, all or nothing (`readiness import`).

Two passes, each in bounded memory. First every file is read to its end, a row at a
time, its cells parsed and the rows spooled (a file over READINESS_IMPORT_MAX_MB is
refused before it is read; a broken quote or a row past the row limit before the
database is touched). Then, in one transaction, each file in dependency order has
its rows resolved, checked, matched against stored rows and written through the
record services a batch at a time (so rows of a later file can refer to rows an
earlier file of the same import created). Any error, or a dry run, rolls the whole
transaction back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from readiness.db import Database
from readiness.errors import UserError
from readiness.importing.field_rules import checked
from readiness.importing.kinds import KINDS, Kind, kind_named
from readiness.importing.matching import FirstOfEach, Plan, plan, spelled_as_stored
from readiness.importing.references import Directory, resolve
from readiness.importing.report import Counts, FileResult, ImportReport, Problem
from readiness.importing.rows import layout, parse_rows
from readiness.importing.sheet import SUFFIXES, SheetError, read_sheet
from readiness.importing.spool import Spool
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
    # The parsed rows; None when the file could not be read or lacks a required column.
    rows: Spool | None = None
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
    name: str | None = None,
) -> ImportReport:
    """Import one CSV or XLSX file of `kind`; errors name the file `name`, else as `path` is given.

    An unknown column is an error unless `ignore_columns` (then it is reported and skipped).
    """
    upload = Upload(kind_named(kind), path, name or str(path))
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
    try:
        for upload in uploads:
            report.files.append(upload.result)
            _read(upload, report, ignore_columns=ignore_columns)
        readable = [u for u in uploads if u.rows is not None]
        if not readable:
            return report
        try:
            with db.write() as session:
                for upload in readable:
                    _load(session, upload, report, actor=actor, last=upload is readable[-1])
                if not report.written:
                    raise _Discard
        except _Discard:
            return report
    finally:
        for upload in uploads:
            if upload.rows is not None:
                upload.rows.close()
    # New rows can change which index answers a query best: keep the statistics current.
    refresh_statistics(db.engine)
    return report


def _read(upload: Upload, report: ImportReport, *, ignore_columns: bool) -> None:
    """Read and parse a file's rows to its end (no database yet); errors go to the report."""
    try:
        sheet = read_sheet(upload.path, upload.name)
    except SheetError as exc:
        report.problems.append(Problem(upload.name, str(exc), exc.row, exc.column))
        return
    spool, kept = Spool(), False
    try:
        where = layout(sheet, upload.kind, report.problems, ignore_columns=ignore_columns)
        if where is None:
            return
        upload.result.ignored_columns = where.unknown
        for row in parse_rows(sheet, upload.kind, where, report.problems):
            spool.add(row)
        upload.rows, kept = spool, True
    except SheetError as exc:  # a broken record or the row limit, met part-way through
        report.problems.append(Problem(upload.name, str(exc), exc.row, exc.column))
    finally:
        sheet.close()
        if not kept:
            spool.close()


def _load(
    session: Session, upload: Upload, report: ImportReport, *, actor: str, last: bool
) -> None:
    """Resolve, match and write one file's valid rows, a batch at a time, in the transaction."""
    kind, name = upload.kind, upload.name
    assert upload.rows is not None  # only readable files are loaded
    first = FirstOfEach()
    counts = Counts()
    for rows in upload.rows.batches():
        directory = Directory.load(session, kind, rows)
        records = resolve(kind, rows, directory, name, report.problems)
        records = spelled_as_stored(session, kind, records)
        records = checked(session, kind, records, name, report.problems)
        records = first.keep(kind, records, name, report.problems)
        planned = plan(session, kind, records)
        # Valid rows are written even when other rows failed, so that later files can
        # find the ids they create (the transaction is rolled back at the end). Once an
        # error is known and no later file can need them, writing would be wasted.
        if report.problems and last:
            counts.add(_planned(planned))
        else:
            counts.add(write(session, kind, planned, file=name, actor=actor))
        # Written rows are in the database now: let the session forget them, so that
        # it holds one batch of objects, not the file's.
        session.flush()
        session.expunge_all()
    upload.result.counts = counts


def _planned(planned: Plan) -> Counts:
    """The counts a plan would give when written."""
    return Counts(len(planned.new), len(planned.changed), planned.unchanged)
