"""`readiness import` on the command line: exit 0 when clean, else error lines and non-zero."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from readiness.db import Database

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
READINESS = Path(sys.executable).parent / "readiness"


def run(db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script against the test's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    return subprocess.run(
        [str(READINESS), "--db", db.url, "--actor", "cli-test", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_importing_the_good_directory_exits_0_and_verifies(db: Database) -> None:
    proc = run(db, "import", "--dir", str(GOOD))
    assert proc.returncode == 0, proc.stderr
    assert "sites.csv: 2 created, 0 amended, 0 unchanged" in proc.stdout
    assert "documents.csv: 3 created, 0 amended, 0 unchanged" in proc.stdout
    verify = run(db, "verify")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("audit chain intact: 61 events")


def test_a_bad_file_prints_its_errors_and_exits_non_zero(db: Database, tmp_path: Path) -> None:
    assert run(db, "import", "--dir", str(GOOD)).returncode == 0
    bad = tmp_path / "staff.csv"
    bad.write_text(
        "staff_id,site_code,full_name,role,active\n"
        "S-301,AUS1,Ana Diaz,rn,yes\n"
        "S-302,NOPE,Ben Ode,nurse,perhaps\n",
        encoding="utf-8",
    )
    proc = run(db, "import", "staff", str(bad))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[:3] == [
        f"{bad}:3: role: 'nurse' is not one of: medical_director, physician, np, pa, rn,"
        " aesthetician, front_desk, other",
        f"{bad}:3: active: not yes or no: 'perhaps'",
        f"{bad}:3: site_code: unknown site code 'NOPE'",
    ]
    assert lines[-1].startswith("readiness: error: import refused")
    verify = run(db, "verify")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("audit chain intact: 61 events")


def test_a_dry_run_says_so_and_writes_nothing(db: Database) -> None:
    proc = run(db, "import", "--dir", str(GOOD), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "dry run: nothing written"
    assert run(db, "verify").stdout.startswith("audit chain intact: 0 events")
