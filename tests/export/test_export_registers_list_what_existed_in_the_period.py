"""Last year's export of a practice onboarded today (tests/data/onboarded_practice): the
registers list the assets, service history and staff of that year by their effective
dates (in service from, status since, hired, left), not by when they were typed in; the
workbook still verifies."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from checklist_world import readiness
from openpyxl import load_workbook

from readiness.db import Database

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "onboarded_practice"
Sheet = list[dict[str, object]]


def test_last_years_export_lists_last_years_practice(db: Database, tmp_path: Path) -> None:
    # One import and one export per engine (a year of daily slots is not free).
    book = _exported(db, tmp_path)
    _equipment_register(book)
    _service_log(book)
    _certifications(book)
    _checklist_log(book)


def _exported(db: Database, tmp_path: Path) -> dict[str, Sheet]:
    proc = readiness("--db", db.url, "import", "--dir", str(PRACTICE))
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "2025.xlsx"
    period = ("--from", "2025-01-01", "--to", "2025-12-31")
    proc = readiness("--db", db.url, "export", "--site", "ONB1", *period, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    proc = readiness("--db", db.url, "verify", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("genuine: 2025.xlsx")
    return _read(out)


def _read(path: Path) -> dict[str, Sheet]:
    sheets = {}
    for sheet in load_workbook(path, read_only=True).worksheets[1:-1]:  # cover, manifest
        rows = list(sheet.iter_rows(values_only=True))
        width = len(rows[0])
        # Read-only rows end at their last non-empty cell.
        sheets[sheet.title] = [
            dict(zip(rows[0], row + (None,) * (width - len(row)), strict=True)) for row in rows[1:]
        ]
    return sheets


def _equipment_register(book: dict[str, Sheet]) -> None:
    register = {row["Asset ID"]: row for row in book["Equipment register"]}
    # L-ONB-3 came into service in February 2026: not there last year.
    assert sorted(register) == ["AED-ONB", "L-ONB-1", "L-ONB-2"]
    assert register["L-ONB-1"]["In service at period end"] == "out of service"
    assert register["L-ONB-1"]["In service from"] == datetime(2023, 3, 1)
    assert register["L-ONB-2"]["In service at period end"] == "in service"
    assert register["L-ONB-2"]["Last passing service by period end"] == datetime(2025, 11, 10)
    summary = {row["Requirement"] for row in book["Summary"]}
    assert "laser.service" in summary


def _service_log(book: dict[str, Sheet]) -> None:
    log = book["Service and calibration log"]
    assert [(r["Asset ID"], r["Certificate number"]) for r in log] == [
        ("L-ONB-2", "CAL-202"),
        ("L-ONB-2", "SV-203"),
    ]


def _certifications(book: dict[str, Sheet]) -> None:
    matrix = {row["Staff ID"]: row for row in book["Certifications"]}
    # O-4 left in June 2024; O-2 left in September 2025; O-3 started in August 2025.
    assert sorted(matrix) == ["O-1", "O-2", "O-3"]
    assert matrix["O-2"]["Left on"] == datetime(2025, 9, 15)
    assert matrix["O-2"]["Employed at period end"] == "no"
    # Gone by the period's end: the engine no longer asks for the card (shown with its date).
    assert matrix["O-2"]["BLS"] == "not_applicable (card expiry 2025-05-31)"
    assert matrix["O-3"]["Employed at period end"] == "yes"
    assert matrix["O-3"]["BLS"] == "missing"
    records = [(row["Staff ID"], row["Certificate"]) for row in book["Certification records"]]
    assert records == [("O-1", "bls"), ("O-2", "bls")]


def _checklist_log(book: dict[str, Sheet]) -> None:
    laser = [row for row in book["Checklist log"] if row["Checklist"] == "laser-preuse-daily"]
    by_asset: dict[object, list[datetime]] = {}
    for row in laser:
        by_asset.setdefault(row["Asset"], []).append(row["Slot date"])  # type: ignore[arg-type]
    assert "L-ONB-3" not in by_asset
    out_of_service = by_asset["L-ONB-1"]
    # Open Monday to Friday: the last slot is Monday 30 June 2025, the day before.
    assert max(out_of_service) == datetime(2025, 6, 30)
    assert min(out_of_service) == datetime(2025, 1, 1)
    assert max(by_asset["L-ONB-2"]) == datetime(2025, 12, 31)
