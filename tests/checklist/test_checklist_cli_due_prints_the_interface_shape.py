"""`readiness checklist due` prints a day's slots: JSON shaped as in interfaces.md, or a table."""

from __future__ import annotations

import json

from checklist_world import build_site, readiness

from readiness.db import Database


def test_json_has_one_object_per_slot_with_the_documented_keys(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    proc = readiness(
        "--db", db.url, "checklist", "due", "--site", "AUS1", "--date", "2026-03-09",
        "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    slots = {(s["template"], s["asset"]): s for s in json.loads(proc.stdout)}
    assert set(slots) == {
        ("opening-daily", None),
        ("laser-preuse-daily", "L-1"),
        ("aed-monthly", "AED-1"),
        ("kit-monthly", "KIT-1"),
    }
    opening = slots[("opening-daily", None)]
    documented = {"site", "template", "title", "asset", "date", "due_by", "status", "items"}
    assert documented <= set(opening)
    assert opening["site"] == "AUS1" and opening["title"] == "Daily opening readiness check"
    assert (opening["date"], opening["due_by"]) == ("2026-03-09", "10:00")
    assert opening["status"] in {"pending", "done", "late", "overdue"}
    items = {item["id"]: item for item in opening["items"]}
    assert items["aed_ready"] == {
        "id": "aed_ready",
        "text": "AED status indicator shows ready, no chirp or warning",
        "type": "pass_fail",
    }
    assert items["o2_psi"] == {
        "id": "o2_psi",
        "text": "Oxygen cylinder pressure",
        "type": "number",
        "unit": "psi",
        "min": 1000,
        "max": None,
    }
    assert slots[("aed-monthly", "AED-1")]["date"] == "2026-03-02"


def test_the_table_lists_each_slot_and_a_closed_day_says_so(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    table = readiness(
        "--db", sqlite_db.url, "checklist", "due", "--site", "AUS1", "--date", "2026-03-09"
    )
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["template", "asset", "date", "due_by", "status", "done_by"]
    assert any(line.startswith("opening-daily") for line in lines)
    closed = readiness(
        "--db", sqlite_db.url, "checklist", "due", "--site", "AUS1", "--date", "2026-03-08"
    )
    assert closed.stdout.strip() == "AUS1: no checklists due on 2026-03-08"


def test_an_unknown_site_is_one_line(sqlite_db: Database) -> None:
    proc = readiness("--db", sqlite_db.url, "checklist", "due", "--site", "NOPE")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "readiness: error: no site with code 'NOPE'"
