"""An unknown column (a typo would lose its data) is refused, unless --ignore-columns skips it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.models import Site, Staff

READINESS = Path(sys.executable).parent / "readiness"
SITES = "code,name,timezone\nAUS1,Austin,America/Chicago\n"
STAFF = (
    "staff_id,site_code,full_name,role,emial,is_lsoo\nS-1,AUS1,Ana Ruiz,rn,ana@example.com,yes\n"
)


def _files(tmp_path: Path) -> Path:
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    return tmp_path


def test_a_misspelt_column_is_refused_with_the_close_names(db: Database, tmp_path: Path) -> None:
    report = import_dir(db, _files(tmp_path), dry_run=False, actor="test")
    assert report.errors == [
        "staff.csv:1: emial: unknown column (did you mean email?)",
        "staff.csv:1: is_lsoo: unknown column (did you mean is_lso?)",
    ]
    with db.read() as session:
        assert session.scalars(select(Site)).all() == []


def test_a_column_like_no_other_lists_the_known_ones(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("code,name,timezone,fax\nAUS1,Austin,America/Chicago,555\n")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    (error,) = report.errors
    assert error.startswith(f"{path}:1: fax: unknown column (the columns are: code, name, ")
    assert error.endswith("; --ignore-columns skips it)")


def test_ignore_columns_skips_and_reports_them(db: Database, tmp_path: Path) -> None:
    report = import_dir(db, _files(tmp_path), dry_run=False, actor="test", ignore_columns=True)
    assert report.errors == []
    assert (
        "staff.csv: 1 created, 0 amended, 0 unchanged (ignored unknown columns: emial, is_lsoo)"
        in (report.summary())
    )
    with db.read() as session:
        person = session.scalars(select(Staff)).one()
    assert (person.email, person.is_lso) == (None, False)


def test_the_command_line_refuses_then_accepts_with_the_flag(db: Database, tmp_path: Path) -> None:
    folder = _files(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    base = [str(READINESS), "--db", db.url, "--actor", "cli-test", "import", "--dir", str(folder)]
    refused = subprocess.run(base, capture_output=True, text=True, env=env, check=False)
    assert refused.returncode == 2
    assert "staff.csv:1: emial: unknown column (did you mean email?)" in refused.stderr
    accepted = subprocess.run(
        [*base, "--ignore-columns"], capture_output=True, text=True, env=env, check=False
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "(ignored unknown columns: emial, is_lsoo)" in accepted.stdout
