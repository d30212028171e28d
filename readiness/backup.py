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
    tmp = _partial(out)
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
    tmp = _partial(out)
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


# The files of a live SQLite database: replacing any of them under a writer corrupts it.
LIVE_FILES = {
    "": "the live database",
    "-wal": "the live database's write-ahead log (-wal)",
    "-shm": "the live database's shared-memory index (-shm)",
    "-journal": "the live database's rollback journal (-journal)",
}


def live_file(path: Path, database: Path) -> str | None:
    """What `path` is of the live database's files (itself or a link to one), or None."""
    bases = {database, Path(os.path.realpath(database))}
    for suffix, what in LIVE_FILES.items():
        for base in bases:
            target = base.with_name(base.name + suffix)
            if path.is_symlink() and os.path.realpath(path) == os.path.realpath(target):
                return f"a symbolic link to {what} {target}"
            if os.path.realpath(path) == os.path.realpath(target):
                return f"{what} {target}"
            if path.exists() and target.exists() and os.path.samefile(path, target):
                return f"a hard link to {what} {target}"
    return None


def check_output(out: Path, database: Path | None, *, force: bool) -> None:
    """Refuse an output that is a file of the live database, or that exists without force."""
    if database is not None:
        for path in (out, _partial(out)):
            what = live_file(path, database)
            if what is not None:
                raise UserError(
                    f"refused: {path} is {what}; writing the backup there would destroy the"
                    " database it copies (choose another file)"
                )
    if out.is_dir():
        raise UserError(f"refused: {out} is a folder; give the backup a file name")
    if (out.exists() or out.is_symlink()) and not force:
        raise UserError(
            f"refused: {out} already exists; give --force to replace it, or choose another file"
        )


def _partial(out: Path) -> Path:
    """Where a backup is written before it is moved into place."""
    return out.with_name(out.name + ".partial")


def _sqlite_file(url: str) -> Path | None:
    """The SQLite database file of `url` (None for another engine or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def backup(url: str, out: Path, *, force: bool = False) -> None:
    """Back up the database at `url` into the file `out`; an existing `out` needs `force`."""
    check_output(out, _sqlite_file(url), force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        backup_sqlite(url, out)
    elif backend == "postgresql":
        backup_postgresql(url, out)
    else:
        raise UserError(f"cannot back up a {backend} database")
