"""An import asked for from the dashboard, behind the signed-in user's permission check."""

from __future__ import annotations

from pathlib import Path

from readiness.access import AccessDenied, Principal, require
from readiness.db import Database
from readiness.importing.report import ImportReport
from readiness.importing.run import import_file


def import_upload(
    db: Database, by: Principal, kind: str, path: Path, *, dry_run: bool
) -> ImportReport:
    """Import one file (or dry-run it); an import may touch every site, so scoped users cannot."""
    require(by, "import_files")
    if by.site_codes is not None:
        raise AccessDenied("an import can change every site: it needs a user of all sites")
    return import_file(db, kind, path, dry_run=dry_run, actor=by.actor)
