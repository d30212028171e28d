"""Every command fails with one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would, with no READINESS_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    return subprocess.run(
        [sys.executable, "-m", "readiness.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "mysql://x/y", "init"], "readiness: error: unsupported database 'mysql'"),
        (["--db", "not a url", "init"], "readiness: error: not a database URL"),
        (["--db", "sqlite:///{tmp}/x.db", "backup", "-o", "{tmp}/b.db"], "does not exist"),
        (["--db", "sqlite:///{tmp}/x.db", "verify"], "readiness: database error: no such table"),
    ],
)
def test_it_prints_one_line_and_exits_non_zero(
    tmp_path: Path, args: list[str], message: str
) -> None:
    proc = run(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
    assert "Traceback" not in proc.stderr


def test_bad_arguments_are_explained_by_argparse(tmp_path: Path) -> None:
    proc = run("demo", "--sites", "many")
    assert proc.returncode == 2
    assert "invalid int value" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_init_then_verify_then_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/r.db"
    assert run("--db", url, "init").returncode == 0
    proc = run("--db", url, "verify")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("audit chain intact:")
    proc = run("--db", url, "backup", "-o", str(tmp_path / "copy.db"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "copy.db").stat().st_size > 0


def test_the_default_database_is_data_readiness_db_in_the_working_directory(
    tmp_path: Path,
) -> None:
    proc = run("init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "data" / "readiness.db").exists()
