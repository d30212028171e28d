"""A reader that stops reading (`readiness status --format json | head -1`) is not an error:
the command exits 0 and says nothing on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.db import Database
from readiness.importing.run import import_dir

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "compliance_practice"
COMMANDS = [
    ("status", "--format", "json", "--as-of", "2026-03-09"),
    ("verify",),
]


def readiness_command() -> list[str]:
    """The installed console script, or the module when running from a checkout."""
    script = Path(sys.executable).with_name("readiness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "readiness.cli"]


def environment(db: Database) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    return {**env, "READINESS_DB_URL": db.url}


@pytest.fixture
def practice(db: Database) -> Database:
    report = import_dir(db, PRACTICE, dry_run=False, actor="test")
    assert not report.errors
    return db


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_head_reads_one_line_and_the_command_exits_quietly(
    practice: Database, tmp_path: Path, args: tuple[str, ...]
) -> None:
    command = subprocess.Popen(
        [*readiness_command(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(practice),
        cwd=tmp_path,
    )
    assert command.stdout is not None and command.stderr is not None
    head = subprocess.Popen(["head", "-1"], stdin=command.stdout, stdout=subprocess.PIPE)
    command.stdout.close()  # head alone holds the read end, as in a shell pipeline
    first, _ = head.communicate(timeout=120)
    errors = command.stderr.read().decode()
    assert command.wait(timeout=120) == 0, errors
    assert errors == ""
    assert len(first.splitlines()) == 1


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_pipe_closed_before_the_first_line_is_not_an_error(
    practice: Database, tmp_path: Path, args: tuple[str, ...]
) -> None:
    # The reader has gone before anything is written: every write fails, deterministically.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [*readiness_command(), *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(practice),
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 0
