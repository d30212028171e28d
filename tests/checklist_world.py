"""A small practice for the checklist tests: one open-Monday-to-Saturday site in Chicago."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.db import Database
from readiness.models import Asset, Site, Staff
from readiness.services.checklist_runs import Submission, submit_checklist

ACTOR = "test"
SITE = "AUS1"
TZ = "America/Chicago"
MONDAY = date(2026, 3, 9)
# 08:12 CDT on Monday 2026-03-09 (the clocks went forward the day before).
BEFORE_TEN = datetime(2026, 3, 9, 13, 12, tzinfo=UTC)
AFTER_TEN = datetime(2026, 3, 9, 16, 30, tzinfo=UTC)

OPENING_OK: dict[str, Any] = {
    "aed_ready": True,
    "o2_psi": 1800,
    "kit_seal": "A-1001",
    "kit_seal_intact": True,
    "epi_adult_count": 2,
    "epi_adult_expiry": "2027-01-31",
    "storage_temp_c": 21.5,
    "emergency_numbers_posted": True,
}
LASER_OK: dict[str, Any] = {
    item: True
    for item in (
        "key_control",
        "self_test",
        "interlock_estop",
        "error_log",
        "eyewear_matched",
        "warning_sign",
        "fire_precautions",
        "handpiece_cooling",
    )
}


def build_site(session: Session, code: str = SITE, *, lasers: int = 1) -> Site:
    """A site with a nurse (S-1 Ana Lopez), an LSO, a medical director, lasers, an AED and a kit."""
    site = records.create(
        session,
        Site(code=code, name=f"Clinic {code}", timezone=TZ, open_days="mon,tue,wed,thu,fri,sat"),
        actor=ACTOR,
    )
    people = [
        ("S-1" if code == SITE else f"{code}-S1", "Ana Lopez", "rn", False),
        ("S-2" if code == SITE else f"{code}-S2", "Lee Park", "np", True),
        ("S-3" if code == SITE else f"{code}-S3", "Dr Maya Chen", "medical_director", False),
    ]
    for staff_id, name, role, lso in people:
        person = Staff(staff_id=staff_id, site_id=site.id, full_name=name, role=role, is_lso=lso)
        records.create(session, person, actor=ACTOR)
    suffix = "" if code == SITE else f"-{code}"
    assets = [(f"L-{n}{suffix}", "laser") for n in range(1, lasers + 1)]
    assets += [(f"AED-1{suffix}", "aed"), (f"KIT-1{suffix}", "emergency_kit")]
    for asset_id, kind in assets:
        thing = Asset(asset_id=asset_id, site_id=site.id, kind=kind, name=f"{kind} {asset_id}")
        records.create(session, thing, actor=ACTOR)
    return site


def submit(db: Database, **kwargs: Any) -> Submission:
    """submit_checklist in its own write transaction, with the opening check as default."""
    args: dict[str, Any] = {
        "site_code": SITE,
        "template_id": "opening-daily",
        "staff_id": "S-1",
        "answers": OPENING_OK,
        "actor": ACTOR,
        "now_utc": BEFORE_TEN,
    }
    args.update(kwargs)
    with db.write() as session:
        return submit_checklist(session, **args)


def readiness(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it, with no READINESS_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    return subprocess.run(
        [sys.executable, "-m", "readiness.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        check=False,
    )
