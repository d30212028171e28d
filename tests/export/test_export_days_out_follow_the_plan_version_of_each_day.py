"""The export's Summary counts the days plan.acknowledged was out of compliance against the
plan version in force on each day (read back with openpyxl): a site whose staff sign each
new version the day it takes effect stays green, one where some sign late or never is
out on exactly the days worked out by hand (tests/plan_change_practice.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checklist_world import readiness
from openpyxl import load_workbook
from plan_change_practice import FIRST_SIGNED, build_practice

from readiness.db import Database

Summary = dict[str, dict[str, object]]


def test_summary_days_out_follow_each_days_plan(db: Database, tmp_path: Path) -> None:
    build_practice(db, tmp_path)
    whole = _summary(db, tmp_path, date(2026, 2, 15), date(2026, 3, 8))
    # Nobody had signed before 20 February (5 days); from the change on 2 March Dan Fox
    # (D-4) owes the new plan to the end (7 days), the others until they sign.
    assert _row(whole, "DAL1") == (12, 22, "missing", "D-4")
    assert _row(whole, "DEN1") == (5, 22, "ok", None)

    signed = _summary(db, tmp_path, FIRST_SIGNED, date(2026, 3, 8))
    # From the first signing on, DEN1 is in good order every day, across the change.
    assert _row(signed, "DEN1") == (0, 17, "ok", None)
    assert _row(signed, "DAL1") == (7, 17, "missing", "D-4")

    before = _summary(db, tmp_path, FIRST_SIGNED, date(2026, 3, 1))
    # The old plan, acknowledged by everyone, was the plan in force until the change.
    assert _row(before, "DAL1") == (0, 10, "ok", None)


def _summary(db: Database, tmp_path: Path, start: date, end: date) -> dict[str, Summary]:
    """Site -> requirement -> the Summary row of an export of the period."""
    out = tmp_path / f"export-{start}-{end}.xlsx"
    period = ("--from", start.isoformat(), "--to", end.isoformat())
    proc = readiness("--db", db.url, "export", "--site", "DAL1,DEN1", *period, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = list(load_workbook(out, read_only=True)["Summary"].iter_rows(values_only=True))
    found: dict[str, Summary] = {}
    for row in rows[1:]:
        record = dict(zip(rows[0], row + (None,) * (len(rows[0]) - len(row)), strict=True))
        found.setdefault(str(record["Site"]), {})[str(record["Requirement"])] = record
    return found


def _row(summary: dict[str, Summary], code: str) -> tuple[object, ...]:
    row = summary[code]["plan.acknowledged"]
    return (
        row["Days out of compliance"],
        row["Days judged"],
        row["Status at period end"],
        row["Subjects not compliant"],
    )
