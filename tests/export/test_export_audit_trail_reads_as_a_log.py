"""The audit trail sheet reads as a log (when, who, what, which record, one line saying what
changed) and keeps, in its last column, the canonical JSON its event hash seals: an
inspector recomputes each hash from the sheet alone."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from export_world import build_world, export
from openpyxl import load_workbook

from readiness.db import Database

CANONICAL = "Canonical JSON (sealed by the event hash)"


def trail(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    rows = load_workbook(path, read_only=True)["Audit trail"].iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    return header, [dict(zip(header, row, strict=False)) for row in rows]


def test_the_trail_reads_when_who_what_which_and_a_summary(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path)
    header, rows = trail(path)
    assert header[:10] == [
        "Seq",
        "When (site time)",
        "When (UTC)",
        "Time zone",
        "Site",
        "Who",
        "What",
        "Record type",
        "Record",
        "Summary",
    ]
    assert header[-1] == CANONICAL
    service = [r for r in rows if r["Record type"] == "service event"]
    old = next(r for r in service if r["What"] == "superseded")
    assert old["Summary"] == "record state: current → superseded"
    assert old["Reason"] == "certificate number mistyped"
    assert old["Who"] == "test"
    new = next(r for r in service if r["Summary"].startswith(f"corrects {old['Record']}:"))
    assert new["What"] == "created" and "kind calibration" in new["Summary"]
    drill = next(r for r in rows if r["Record type"] == "drill" and r["What"] == "created")
    assert "scenario cardiac_arrest" in drill["Summary"] and "outcome pass" in drill["Summary"]
    assert drill["Record"].startswith("#")
    for row in rows:
        assert row["What"] in {"created", "changed", "superseded", "voided", "removed"}
        assert "_" not in row["Record type"], row["Record type"]


def test_each_event_hash_recomputes_from_the_sheet(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path)
    _, rows = trail(path)
    assert rows
    for row in rows:
        sealed = f"{row['Previous event hash']}\n{row[CANONICAL]}"
        assert hashlib.sha256(sealed.encode()).hexdigest() == row["Event hash (SHA-256)"]


def test_checklist_answers_name_the_template_version_and_date(db: Database, tmp_path: Path) -> None:
    build_world(db)
    path = tmp_path / "week.xlsx"
    export(db, path)
    rows = load_workbook(path, read_only=True)["Checklist items"].iter_rows(values_only=True)
    header = next(rows)
    named, hashed = header.index("Checklist version"), header.index("Version hash")
    first = next(rows)
    assert first[named].startswith("Daily opening readiness check of 2026-03-")
    assert len(first[hashed]) == 12 and all(c in "0123456789abcdef" for c in first[hashed])
