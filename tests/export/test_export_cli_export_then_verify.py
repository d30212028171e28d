"""`readiness export ... -o f.xlsx` then `readiness verify f.xlsx`; bad arguments get one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from checklist_world import readiness
from export_world import build_world

from readiness.db import Database
from readiness.migrate import upgrade


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/r.db"
    db = Database(url)
    upgrade(db.engine)
    build_world(db, ["=SUM(A1)"])
    db.dispose()
    return url


def test_export_then_verify_exits_zero(url: str, tmp_path: Path) -> None:
    out = tmp_path / "week.xlsx"
    proc = readiness(
        "--db",
        url,
        "export",
        "--site",
        "AUS1,PHX1",
        "--from",
        "2026-03-09",
        "--to",
        "2026-03-14",
        "-o",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"wrote {out}")
    assert "Checklist items:" in proc.stderr and "rows done" in proc.stderr
    assert not out.with_name("week.xlsx.partial").exists()
    written = re.search(r"(\d+) sheets", proc.stdout)
    proc = readiness("--db", url, "verify", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("genuine: week.xlsx")
    checked = re.search(r"in all (\d+) sheets", proc.stdout)
    assert written and checked and written.group(1) == checked.group(1) == "14"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "NOPE"], "readiness: error: no site with code 'NOPE'"),
        (["--from", "2026-03-14", "--to", "2026-03-09"], "--from 2026-03-14 is after --to"),
        (["-o", "{tmp}/week.csv"], "readiness: error: the output must be an .xlsx file"),
        (["-o", "{tmp}/no/such/week.xlsx"], "readiness: error: no such folder"),
    ],
)
def test_bad_arguments_are_one_line(
    url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    given = {
        "--site": "AUS1",
        "--from": "2026-03-09",
        "--to": "2026-03-14",
        "-o": str(tmp_path / "week.xlsx"),
    }
    for flag, value in zip(args[::2], args[1::2], strict=True):
        given[flag] = value.replace("{tmp}", str(tmp_path))
    flat = [part for pair in given.items() for part in pair]
    proc = readiness("--db", url, "export", *flat)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
    assert not (tmp_path / "week.xlsx").exists()


def test_verifying_an_edited_file_names_the_sheet_in_one_line(url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "week.xlsx"
    readiness(
        "--db",
        url,
        "export",
        "--site",
        "AUS1",
        "--from",
        "2026-03-09",
        "--to",
        "2026-03-14",
        "-o",
        str(out),
        "--quiet",
    )
    book = load_workbook(out)
    book["Corrective actions"]["T2"] = "Nothing was done"
    book.save(out)
    proc = readiness("--db", url, "verify", str(out))
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "readiness: error: not genuine: week.xlsx: differs in Corrective actions"
