"""A consistent copy of the database while writers keep running."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from readiness.errors import UserError


def _pg_tool(name: str) -> str:
    """The newest PostgreSQL client tool of that name (pg_dump must not be older than a server)."""
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if found is None:
        raise UserError(f"{name} not found: install the PostgreSQL client tools")
    return found


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a plain libpq connection URI."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def backup_sqlite(url: str, out: Path) -> None:
    """SQLite's online backup: a transactionally consistent snapshot, even under writes."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise UserError("backup needs a SQLite database file")
    if not Path(database).exists():
        raise UserError(f"database file {database} does not exist")
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(database, timeout=30)
    dst = sqlite3.connect(tmp)
    try:
        with dst:
            src.backup(dst)  # pages=-1: one step under one read lock
    finally:
        dst.close()
        src.close()
    os.replace(tmp, out)


def backup_postgresql(url: str, out: Path) -> None:
    """pg_dump in custom format; it reads one snapshot, so concurrent writes don't tear it."""
    tmp = out.with_name(out.name + ".partial")
    cmd = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(tmp), libpq_url(url)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise UserError(f"pg_dump failed: {last}")
    os.replace(tmp, out)


def restore_postgresql(dump: Path, url: str) -> None:
    """Load a pg_dump custom-format file into an empty database."""
    cmd = [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", libpq_url(url), str(dump)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise UserError(f"pg_restore failed: {last}")


def backup(url: str, out: Path) -> None:
    """Back up the database at `url` into the file `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        backup_sqlite(url, out)
    elif backend == "postgresql":
        backup_postgresql(url, out)
    else:
        raise UserError(f"cannot back up a {backend} database")
