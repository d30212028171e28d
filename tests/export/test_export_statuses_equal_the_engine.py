"""The workbook's certification and equipment statuses are the engine's, for the same day.

The seven-clinic inspector practice (tests/data/inspector_practice) is imported, its
checklists submitted at the times they were done, plus one aesthetician whose only
BLS card expired in August 2025, before the period. The year to Monday 16 November
2026 is exported, and `readiness status --as-of 2026-11-16 --format json` read at the
same instant: every certificate cell and every asset's compliance equals the engine's
(the expired card reads "expired 2025-08-31", not "missing"; the extinguisher last
checked on 1 October reads "overdue", while its service state stays "in service").
"""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from readiness.cli import main
from readiness.db import Database
from readiness.rules.status import worst

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "inspector_practice"
JUDGED_AT = datetime(2026, 11, 16, 18, 0, tzinfo=ZoneInfo("America/Chicago"))
PERIOD = ("2025-11-17", "2026-11-16")
SITES = "CAL,DRILL,EPI,EXT,GOOD,LABEL,NOAED"


def cli(db: Database, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--db", db.url, "--actor", "test", *args])
    assert code == 0, err.getvalue()
    return out.getvalue()


def practice_files(folder: Path) -> Path:
    """The inspector practice, plus an aesthetician at EXT whose BLS lapsed in 2025."""
    shutil.copytree(PRACTICE, folder, dirs_exist_ok=True)
    with (folder / "staff.csv").open("a", encoding="utf-8") as staff:
        staff.write("EXT-MA,EXT,Aesthetician Two EXT,aesthetician,,yes,no\n")
    with (folder / "certifications.csv").open("a", encoding="utf-8") as cards:
        cards.write("EXT-MA,bls,2023-08-10,2025-08-31,BLS-EXT-MA,American Heart Association\n")
    return folder


@pytest.fixture(scope="module")
def exported(
    practice_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[dict[str, Any]]]:
    """The workbook and the engine's items, both as of the period's last day."""
    db, folder = practice_db, tmp_path_factory.mktemp("inspector")
    files = practice_files(folder / "files")
    cli(db, "import", "--dir", str(files))
    for number, run in enumerate(json.loads((files / "checklist_runs.json").read_text())):
        answers = folder / f"answers-{number}.json"
        answers.write_text(json.dumps(run["answers"]))
        hour, minute = map(int, run["time"].split(":"))
        at = datetime.fromisoformat(run["date"]).replace(
            hour=hour, minute=minute, tzinfo=JUDGED_AT.tzinfo
        )
        args = ["checklist", "submit", "--site", run["site"], "--template", run["template"]]
        args += ["--by", run["by"], "--answers", str(answers), "--date", run["date"]]
        args += ["--asset", run["asset"]] if run["asset"] else []
        with time_machine.travel(at, tick=False):
            cli(db, *args)
    path = folder / "year.xlsx"
    with time_machine.travel(JUDGED_AT, tick=False):
        args = ["--site", SITES, "--from", PERIOD[0], "--to", PERIOD[1], "--quiet"]
        cli(db, "export", *args, "-o", str(path))
        items = json.loads(cli(db, "status", "--as-of", PERIOD[1], "--format", "json"))
    return path, items


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    rows = load_workbook(path, read_only=True)[name].iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=False)) for row in rows]


def engine_worst(items: list[dict[str, Any]], site: str, subject: str, ids: set[str]) -> str:
    found = [
        i["status"]
        for i in items
        if i["site"] == site and i["subject"] == subject and i["requirement"] in ids
    ]
    return str(worst(found)) if found else ""


def test_every_certificate_cell_is_the_engines_status(
    exported: tuple[Path, list[dict[str, Any]]],
) -> None:
    path, items = exported
    by_type = {"BLS": {"cert.bls"}, "ACLS": {"cert.acls"}, "LSO": {"cert.lso"}}
    compared = 0
    for row in sheet_rows(path, "Certifications"):
        for header, ids in by_type.items():
            engine = engine_worst(items, row["Site"], row["Staff ID"], ids)
            cell = str(row.get(header) or "")
            if engine:
                assert cell.split(" ")[0] == engine, (row["Staff ID"], header, cell, engine)
                compared += 1
            else:
                assert cell == "" or cell.startswith("not required"), (row["Staff ID"], cell)
    assert compared == 22 + 14 + 7  # BLS of all, ACLS of doctors and nurses, LSO of nurses
    lapsed = next(r for r in sheet_rows(path, "Certifications") if r["Staff ID"] == "EXT-MA")
    assert lapsed["BLS"] == "expired 2025-08-31"


def test_every_assets_compliance_is_the_engines_status(
    exported: tuple[Path, list[dict[str, Any]]],
) -> None:
    path, items = exported
    asset_ids = {str(i["requirement"]) for i in items if i["subject_type"] == "asset"}
    register = sheet_rows(path, "Equipment register")
    assert len(register) == 49
    for row in register:
        engine = engine_worst(items, row["Site"], row["Asset ID"], asset_ids)
        assert (row["Compliance at period end"] or "") == engine, row["Asset ID"]
    by_id = {row["Asset ID"]: row for row in register}
    extinguisher = by_id["EXT-EXT"]
    assert extinguisher["Compliance at period end"] == "overdue"
    assert extinguisher["In service at period end"] == "in service"
    assert "overdue" in extinguisher["What is not in order (engine)"]
    assert by_id["CAL-LASER"]["Compliance at period end"] == "failed"
    assert by_id["GOOD-EXT"]["Compliance at period end"] == "ok"
    assert by_id["GOOD-EXT"]["What is not in order (engine)"] is None


def test_the_service_state_is_not_coloured_as_a_status(
    exported: tuple[Path, list[dict[str, Any]]],
) -> None:
    path, _ = exported
    sheet = load_workbook(path)["Equipment register"]
    header = [cell.value for cell in sheet[1]]
    state = header.index("In service at period end") + 1
    compliance = header.index("Compliance at period end") + 1
    for row in range(2, sheet.max_row + 1):
        assert sheet.cell(row, state).fill.fgColor.rgb in (None, "00000000")
        if sheet.cell(row, compliance).value == "overdue":
            assert sheet.cell(row, compliance).fill.fgColor.rgb.endswith("FFC7CE")
