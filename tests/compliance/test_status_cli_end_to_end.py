"""End to end: a practice imported from CSV files, `readiness status --format json` in a
subprocess, compared with statuses worked out by hand (tests/data/compliance_practice)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.cli import main
from readiness.db import Database
from readiness.importing.run import import_dir

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "compliance_practice"
AS_OF = "2026-03-09"


def readiness_command() -> list[str]:
    """The installed console script, or the module when running from a checkout."""
    script = Path(sys.executable).with_name("readiness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "readiness.cli"]


def run_readiness(db: Database, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READINESS_DB_URL": db.url}
    return subprocess.run(
        [*readiness_command(), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def expected() -> dict[tuple[str, str, str], tuple[str, str | None]]:
    with (PRACTICE / "expected_status.csv").open(newline="", encoding="utf-8") as handle:
        return {
            (row["site"], row["requirement"], row["subject"]): (
                row["status"],
                row["due_on"] or None,
            )
            for row in csv.DictReader(handle)
        }


def test_it_reports_what_the_hand_worked_table_says(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = import_dir(db, PRACTICE, dry_run=False, actor="test")
    assert not report.errors
    done = run_readiness(db, tmp_path, "status", "--format", "json", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    got = {(i["site"], i["requirement"], i["subject"]): (i["status"], i["due_on"]) for i in items}
    assert got == expected()
    assert all(item["detail"] for item in items)

    # The same items block the scenarios (in process: one subprocess is enough).
    assert main(["--db", db.url, "scenarios", "--format", "json", "--as-of", AS_OF]) == 0
    rows = {(r["site"], r["scenario"]): r for r in json.loads(capsys.readouterr().out)}
    assert len(rows) == 10
    anaphylaxis = rows[("DEN1", "anaphylaxis")]
    assert anaphylaxis["ready"] is False
    missing_epi = {"requirement": "stock.epinephrine_adult", "subject": "DEN1", "status": "missing"}
    assert missing_epi in anaphylaxis["blocking"]
    # Pediatric stock does not apply at DEN1, and due_soon items never block.
    blockers = {b["requirement"] for b in anaphylaxis["blocking"]}
    assert "stock.epinephrine_pediatric" not in blockers
    assert "drill.anaphylaxis" not in blockers
