"""`readiness backup -o FILE` keeps an existing FILE unless --force; with it, FILE is the copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from factories import site

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


def test_an_existing_file_needs_force(db: Database, tmp_path: Path) -> None:
    with db.write() as session:
        site(session, "AUS1")
    out = tmp_path / "last-week.backup"
    out.write_bytes(b"last week's backup")
    refused = run(db, "backup", "-o", str(out))
    assert refused.returncode == 2
    assert f"refused: {out} already exists; give --force to replace it" in refused.stderr
    assert out.read_bytes() == b"last week's backup"
    forced = run(db, "backup", "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.startswith(f"backup written to {out}")
    head = out.read_bytes()[:16]
    assert head.startswith(b"SQLite format 3" if db.url.startswith("sqlite") else b"PGDMP")
    assert run(db, "verify").returncode == 0


def test_a_folder_is_refused_even_with_force(db: Database, tmp_path: Path) -> None:
    proc = run(db, "backup", "-o", str(tmp_path), "--force")
    assert proc.returncode == 2
    assert f"refused: {tmp_path} is a folder; give the backup a file name" in proc.stderr
