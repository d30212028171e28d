"""Drills and document reviews by boundary: due the day before, on the day, the day
after, the 30-day warning edge; a drill's date is the site's local date; a failed
drill, or one that missed its target, is failed and names what was missed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from compliance_support import AS_OF, Practice, items_of, local, row_of

from readiness.db import Database

D = timedelta(days=1)
QUARTER_AGO = date(2025, 12, 9)  # anaphylaxis drills are due every 3 months
# site code -> local day of its last anaphylaxis drill
DRILLS = {
    "DR-1": QUARTER_AGO + D,
    "DR0": QUARTER_AGO,
    "DR+1": QUARTER_AGO - D,
    "DR-W30": date(2026, 1, 8),
    "DR-W31": date(2026, 1, 9),
}
# site code -> last review of the emergency plan (yearly)
REVIEWS = {"DOC-1": date(2025, 3, 10), "DOC0": date(2025, 3, 9), "DOC+1": date(2025, 3, 8)}


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        for code, day in DRILLS.items():
            p.drill(p.site(code), "anaphylaxis", local(day, "10:00", "America/Chicago"))
        # 23:30 in Chicago on 8 December is 9 December in UTC: the site's date counts.
        late = p.site("LATE")
        p.drill(late, "anaphylaxis", local(QUARTER_AGO - D, "23:30", "America/Chicago"))
        failed = p.site("FAILED")
        p.drill(failed, "anaphylaxis", local(QUARTER_AGO, "10:00", "America/Chicago"), "fail")
        slow = p.site("SLOW")
        p.drill(slow, "cardiac_arrest", datetime(2026, 2, 1, 16, 0, tzinfo=UTC), time_to_aed_s=210)
        future = p.site("FUTURE")
        p.drill(future, "anaphylaxis", local(AS_OF + D, "10:00", "America/Chicago"))
        for code, day in REVIEWS.items():
            p.document(p.site(code), "emergency_plan", day)
    return items_of(practice_db, as_of=AS_OF)


@pytest.mark.parametrize(
    ("site", "status", "due_on"),
    [
        ("DR-1", "due_soon", AS_OF + D),
        ("DR0", "due_soon", AS_OF),
        ("DR+1", "overdue", AS_OF - D),
        ("DR-W30", "due_soon", AS_OF + 30 * D),
        ("DR-W31", "ok", AS_OF + 31 * D),
        ("LATE", "overdue", AS_OF - D),
        ("FAILED", "failed", None),
        ("FUTURE", "missing", None),
    ],
)
def test_anaphylaxis_drill(items: pd.DataFrame, site: str, status: str, due_on: date) -> None:
    row = row_of(items, "drill.anaphylaxis", site)
    assert (row["status"], row["due_on"]) == (status, due_on)


def test_the_last_held_day_is_the_site_local_day(items: pd.DataFrame) -> None:
    assert row_of(items, "drill.anaphylaxis", "LATE")["last_done_on"] == QUARTER_AGO - D


def test_a_missed_target_is_named(items: pd.DataFrame) -> None:
    assert row_of(items, "drill.cardiac_arrest", "SLOW")["detail"] == (
        "Cardiac arrest mock code with AED on 2026-02-01 missed its target:"
        " time to AED 210 s, target 180 s; cleared by a passing drill"
    )


def test_no_drill_is_missing(items: pd.DataFrame) -> None:
    row = row_of(items, "drill.fire", "DR0")
    assert (row["status"], row["detail"]) == ("missing", "No fire drill on record")


@pytest.mark.parametrize(
    ("site", "status", "due_on"),
    [
        ("DOC-1", "due_soon", AS_OF + D),
        ("DOC0", "due_soon", AS_OF),
        ("DOC+1", "overdue", AS_OF - D),
    ],
)
def test_emergency_plan_review(items: pd.DataFrame, site: str, status: str, due_on: date) -> None:
    row = row_of(items, "doc.emergency_plan", site)
    assert (row["status"], row["due_on"]) == (status, due_on)
    assert row_of(items, "doc.transfer_agreement", site)["status"] == "missing"


def test_the_review_detail(items: pd.DataFrame) -> None:
    assert row_of(items, "doc.emergency_plan", "DOC+1")["detail"] == (
        "Emergency plan review overdue since 2026-03-08 (last reviewed 2025-03-08)"
    )
