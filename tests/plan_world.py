"""A small practice with emergency contacts and roles for DAL1 and none for DEN1."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

from readiness.db import Database
from readiness.importing.run import import_dir

PRACTICE = Path(__file__).resolve().parent / "data" / "compliance_practice"
CONTACTS = {
    "site_code": "DAL1",
    "ed_name": "Baylor University Medical Center ED",
    "ed_address": "3500 Gaston Ave, Dallas TX",
    "ed_phone": "214-820-0111",
    "drive_minutes": "8",
    "route_notes": "Main St east, left on Gaston Ave",
    "transfer_hospital": "Baylor University Medical Center",
    "medical_director_phone": "214-555-0190",
    "lso_phone": "214-555-0191",
    "after_hours_phone": "214-555-0199",
    "aed_location": "Hallway by reception",
    "kit_location": "Treatment room 2 cabinet",
    "oxygen_location": "Treatment room 2",
    "extinguisher_location": "Beside the laser room door",
    # Contacts and roles are dated versions: these hold from before the plans printed.
    "effective_from": "2026-01-05",
}
ROLES_FROM = "2026-01-05"
ROLES = (
    ("DAL1", "", "lead", "rn", ROLES_FROM),
    ("DAL1", "", "call_911", "front_desk", ROLES_FROM),
    ("DAL1", "cardiac_arrest", "aed", "D-2", ROLES_FROM),
    ("DAL1", "anaphylaxis", "epinephrine", "D-1", ROLES_FROM),
)


def write_files(folder: Path) -> Path:
    """The practice's CSVs plus site_contacts.csv and emergency_roles.csv, in `folder`."""
    for source in PRACTICE.glob("*.csv"):
        if source.name != "expected_status.csv":
            shutil.copy(source, folder / source.name)
    _write_csv(folder / "site_contacts.csv", [tuple(CONTACTS), tuple(CONTACTS.values())])
    _write_csv(
        folder / "emergency_roles.csv",
        [("site_code", "scenario", "duty", "assignee", "effective_from"), *ROLES],
    )
    return folder


def _write_csv(path: Path, rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def build(db: Database, folder: Path) -> None:
    """Import the practice with its contacts and roles."""
    report = import_dir(db, write_files(folder), dry_run=False, actor="test")
    assert report.errors == [], report.errors


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it, whitespace runs made single spaces."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())
