"""`readiness backup -o` refuses the live SQLite database, a link to it and its -wal/-shm files.

Writing the copy there would replace the file under a running writer; the refusal
comes first, says why, and the database still verifies afterwards.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import cert, site, staff

from readiness.db import Database

READINESS = Path(sys.executable).parent / "readiness"


def run(db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    return subprocess.run(
        [str(READINESS), "--db", db.url, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _live(db: Database) -> Path:
    return Path(db.url.removeprefix("sqlite:///"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _itself(live: Path, tmp: Path) -> Path:
    return live


def _another_spelling(live: Path, tmp: Path) -> Path:
    (tmp / "sub").mkdir()
    return tmp / "sub" / ".." / live.name


def _symlink(live: Path, tmp: Path) -> Path:
    link = tmp / "copy.db"
    link.symlink_to(live)
    return link


def _hard_link(live: Path, tmp: Path) -> Path:
    link = tmp / "copy.db"
    link.hardlink_to(live)
    return link


def _wal(live: Path, tmp: Path) -> Path:
    return live.with_name(live.name + "-wal")


def _shm_by_link(live: Path, tmp: Path) -> Path:
    link = tmp / "copy.db"
    link.symlink_to(live.with_name(live.name + "-shm"))
    return link


CASES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "itself": (_itself, "is the live database "),
    "another-spelling": (_another_spelling, "is the live database "),
    "symlink": (_symlink, "is a symbolic link to the live database "),
    "hard-link": (_hard_link, "is a hard link to the live database "),
    "wal": (_wal, "is the live database's write-ahead log (-wal) "),
    "shm-by-link": (_shm_by_link, "is a symbolic link to the live database's shared-memory index"),
}


@pytest.mark.parametrize("case", CASES)
def test_backup_onto_the_live_database_is_refused(
    case: str, sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.write() as session:
        cert(session, staff(session, site(session, "AUS1")))
    live = _live(sqlite_db)
    before = _digest(live)
    make, why = CASES[case]
    out = make(live, tmp_path)
    for force in ([], ["--force"]):
        proc = run(sqlite_db, "backup", "-o", str(out), *force)
        assert proc.returncode == 2, proc.stdout
        assert why in proc.stderr
        assert "would destroy the database it copies" in proc.stderr
    assert _digest(live) == before
    assert not live.with_name(live.name + ".partial").exists()
    verify = run(sqlite_db, "verify")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("audit chain intact")


def test_a_copy_beside_the_live_database_is_fine(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.write() as session:
        site(session, "AUS1")
    live = _live(sqlite_db)
    out = live.with_name(live.name + "-backup")
    proc = run(sqlite_db, "backup", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    copy = Database(f"sqlite:///{out}")
    verify = run(copy, "verify")
    copy.dispose()
    assert verify.returncode == 0, verify.stderr
