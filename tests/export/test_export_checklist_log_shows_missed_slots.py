"""The checklist log has one row per slot due in the period: done (by whom, when, late or
not, what failed) or missed; every answer is listed with the wording it was asked in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from export_world import build_world, export
from openpyxl import load_workbook

from readiness.db import Database


def _sheet(path: Path, name: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    width = len(rows[0])
    # Read-only rows end at their last non-empty cell.
    return [dict(zip(rows[0], row + (None,) * (width - len(row)), strict=True)) for row in rows[1:]]


def test_each_due_slot_is_done_or_missed(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path, sites=("AUS1",))
    log = _sheet(path, "Checklist log")
    opening = {
        row["Slot date"].day: row  # type: ignore[union-attr]
        for row in log
        if row["Checklist"] == "opening-daily"
    }
    # Monday to Saturday; Sunday the 8th and 15th are closed.
    assert sorted(opening) == [9, 10, 11, 12, 13, 14]
    assert opening[9]["Status"] == "done" and opening[9]["Late"] == "no"
    assert opening[9]["Signed by (printed name)"] == "Ana Lopez"
    assert opening[9]["Signed at (site time)"] == datetime(2026, 3, 9, 8, 12)
    assert opening[9]["Signed at (UTC)"] == datetime(2026, 3, 9, 13, 12)
    assert opening[9]["Meaning"] == "performed"
    assert opening[10]["Status"] == "missed"
    assert opening[10]["Signed by (printed name)"] is None
    assert opening[11]["Status"] == "done" and opening[11]["Late"] == "yes"
    assert "o2_psi Oxygen cylinder pressure: 800 psi" in str(opening[12]["Failed items"])
    assert "Cylinder low; spare fitted" in str(opening[12]["Failed items"])
    laser = [row for row in log if row["Checklist"] == "laser-preuse-daily"]
    assert [row["Status"] for row in laser] == ["done"] + ["missed"] * 5
    assert all(row["Asset"] == "L-1" for row in laser)


def test_every_answer_is_listed_with_its_question(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path, sites=("AUS1",))
    items = _sheet(path, "Checklist items")
    thursday = [row for row in items if row["Slot date"] == datetime(2026, 3, 12)]
    assert [row["Item no."] for row in thursday] == list(range(1, 9))
    o2 = next(row for row in thursday if row["Item ID"] == "o2_psi")
    assert o2["Question"] == "Oxygen cylinder pressure"
    assert o2["Limits"] == "min 1000 psi"
    assert o2["Answer"] == "800 psi" and o2["Result"] == "fail"
    assert o2["Signed by (printed name)"] == "Ana Lopez"


def test_the_cover_counts_them(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path, sites=("AUS1",))
    cover = {
        row[0]: row[1]
        for row in load_workbook(path, read_only=True)["Cover"].iter_rows(values_only=True)
        if len(row) > 1 and row[0]
    }
    slots = str(cover["Checklist slots due in the period"])
    assert "missed: " in slots and "done: " in slots and "done late: 1" in slots
