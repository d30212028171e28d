"""An import asked for from the dashboard, behind the signed-in user's permission check.

The page hands over the uploaded file as a stream; it is copied to a scratch folder a
chunk at a time, refused at the size limit as it is copied, and imported from there
like any file: no further copy of it is held in memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import BinaryIO

from readiness.access import AccessDenied, Principal, require
from readiness.db import Database
from readiness.importing.report import FileResult, ImportReport, Problem, Problems
from readiness.importing.run import import_file
from readiness.importing.sheet import SheetError, max_bytes

_CHUNK = 1 << 20


def import_upload(
    db: Database, by: Principal, kind: str, path: Path, *, dry_run: bool, name: str | None = None
) -> ImportReport:
    """Import one file (or dry-run it); an import may touch every site, so scoped users cannot.

    Errors name the file as `name` (the name it was uploaded under), else as `path`.
    """
    _may_import(by)
    return import_file(db, kind, path, dry_run=dry_run, actor=by.actor, name=name)


def import_stream(
    db: Database, by: Principal, kind: str, name: str, stream: BinaryIO, *, dry_run: bool
) -> ImportReport:
    """Import an uploaded file given as a binary stream, named `name` in the report."""
    _may_import(by)
    shown = Path(name).name  # the uploader's own folders are no part of the name
    with tempfile.TemporaryDirectory(prefix="readiness-import-") as folder:
        # The name the browser sent is never a path here; only its type is kept.
        path = Path(folder) / f"upload{Path(shown).suffix.lower()}"
        try:
            _copy(stream, path, max_bytes())
        except SheetError as exc:
            refused = Problems([Problem(shown, str(exc))])
            return ImportReport(dry_run, refused, [FileResult(shown, kind)])
        return import_upload(db, by, kind, path, dry_run=dry_run, name=shown)


def _may_import(by: Principal) -> None:
    """An import may touch every site, so only users of all sites with the right may."""
    require(by, "import_files")
    if by.site_codes is not None:
        raise AccessDenied("an import can change every site: it needs a user of all sites")


def _copy(stream: BinaryIO, path: Path, limit: int) -> None:
    """Copy the stream to `path`, refusing it once it is over `limit` bytes."""
    stream.seek(0)
    written = 0
    with path.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            written += len(chunk)
            if written > limit:  # its whole size is unknown: it was not read to the end
                raise SheetError(
                    f"refused: the file is over the import limit of {limit / 2**20:,.0f} MB"
                    " (READINESS_IMPORT_MAX_MB); split it into smaller files"
                )
            out.write(chunk)
