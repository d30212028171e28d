"""The latest service event decides: a failed calibration or service after a pass makes
the item `failed` (the day before, on the day, the day after), a later pass clears it;
two events on one day: the one recorded later decides; the due date stays the one the
last pass gives; the export's day masks count the same days out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from compliance_support import Practice, items_of, row_of
from history_support import both_counts

from readiness.db import Database
from readiness.models import Asset, ServiceEvent

D = timedelta(days=1)
PASSED = date(2025, 6, 2)  # due 2026-06-02
FAILED = date(2026, 1, 12)
FIXED = date(2026, 1, 26)  # due 2027-01-26
NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
CLEARS = "; cleared by a passing service or calibration"


def event(p: Practice, asset: Asset, on: date, kind: str, result: str, **values: Any) -> None:
    p.add(
        ServiceEvent(
            asset_pk=asset.id,
            kind=kind,
            performed_on=on,
            performed_by="Candela Field Service",
            result=result,
            **values,
        )
    )


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        # L-1 alone at its site, so the site's days out are L-1's.
        laser = p.asset(p.site("CAL1"), "L-1", "laser")
        site = p.site("AUS1")
        event(p, laser, PASSED, "service", "pass")
        event(
            p, laser, FAILED, "calibration", "fail",
            certificate_number="CAL-881", notes="1064 nm output 18% below",
        )  # fmt: skip
        event(p, laser, FIXED, "calibration", "pass")
        only = p.asset(site, "L-ONLY-FAIL", "laser")
        event(p, only, FAILED, "service", "fail")
        fixed_same_day = p.asset(site, "L-SAME-DAY-FIX", "laser")
        event(p, fixed_same_day, PASSED, "service", "pass")
        event(p, fixed_same_day, FAILED, "calibration", "fail", notes="output low")
        event(p, fixed_same_day, FAILED, "calibration", "pass")
        broken_same_day = p.asset(site, "L-SAME-DAY-FAIL", "laser")
        event(p, broken_same_day, FAILED, "service", "pass")
        event(p, broken_same_day, FAILED, "calibration", "fail", notes="output low")
        repaired = p.asset(site, "L-REPAIRED", "laser")
        event(p, repaired, PASSED, "service", "pass")
        event(p, repaired, FAILED, "calibration", "fail")
        # A repair is not one of the listed kinds: only a service or calibration clears it.
        event(p, repaired, FIXED, "repair", "pass")
        idle = p.asset(site, "L-IDLE", "laser", status="out_of_service")
        event(p, idle, FAILED, "calibration", "fail")
        extinguisher = p.asset(site, "FX-1", "fire_extinguisher")
        event(p, extinguisher, PASSED, "service", "pass")
        event(p, extinguisher, FAILED, "service", "fail", certificate_number="T-77")
    return practice_db


@pytest.fixture(scope="module")
def judged(db: Database) -> dict[date, pd.DataFrame]:
    days = [FAILED - D, FAILED, FAILED + D, FIXED - D, FIXED, FIXED + D]
    return {day: items_of(db, as_of=day, now_utc=NOW) for day in days}


@pytest.mark.parametrize(
    ("day", "status", "due_on", "last_done_on"),
    [
        (FAILED - D, "ok", date(2026, 6, 2), PASSED),
        (FAILED, "failed", date(2026, 6, 2), PASSED),
        (FAILED + D, "failed", date(2026, 6, 2), PASSED),
        (FIXED - D, "failed", date(2026, 6, 2), PASSED),
        (FIXED, "ok", date(2027, 1, 26), FIXED),
        (FIXED + D, "ok", date(2027, 1, 26), FIXED),
    ],
)
def test_a_failed_calibration_is_failed_until_a_later_pass(
    judged: dict[date, pd.DataFrame], day: date, status: str, due_on: date, last_done_on: date
) -> None:
    row = row_of(judged[day], "laser.service", "L-1")
    assert (row["status"], row["due_on"], row["last_done_on"]) == (status, due_on, last_done_on)


def test_the_detail_names_the_failing_record_and_what_clears_it(
    judged: dict[date, pd.DataFrame],
) -> None:
    assert row_of(judged[FAILED + D], "laser.service", "L-1")["detail"] == (
        "Calibration failed on 2026-01-12 (certificate CAL-881: 1064 nm output 18% below)" + CLEARS
    )
    assert row_of(judged[FAILED], "extinguisher.annual_service", "FX-1")["detail"] == (
        "Service failed on 2026-01-12 (certificate T-77); cleared by a passing service"
    )


def test_a_failure_with_no_pass_before_has_no_due_date(judged: dict[date, pd.DataFrame]) -> None:
    row = row_of(judged[FIXED + D], "laser.service", "L-ONLY-FAIL")
    assert (row["status"], row["due_on"], row["last_done_on"]) == ("failed", None, None)
    assert row["detail"] == "Service failed on 2026-01-12" + CLEARS


@pytest.mark.parametrize(
    ("asset_id", "status"),
    [
        ("L-SAME-DAY-FIX", "ok"),
        ("L-SAME-DAY-FAIL", "failed"),
        ("L-REPAIRED", "failed"),
        ("L-IDLE", "not_applicable"),
    ],
)
def test_the_later_record_decides(
    judged: dict[date, pd.DataFrame], asset_id: str, status: str
) -> None:
    assert row_of(judged[FIXED + D], "laser.service", asset_id)["status"] == status


def test_the_extinguisher_failed_too(judged: dict[date, pd.DataFrame]) -> None:
    assert row_of(judged[FIXED + D], "extinguisher.annual_service", "FX-1")["status"] == "failed"


def test_the_export_counts_the_days_the_engine_judges_out(db: Database) -> None:
    wanted = {"laser.service", "extinguisher.annual_service"}
    slow, fast = both_counts(db, ["AUS1", "CAL1"], wanted, FAILED - 3 * D, FIXED + 3 * D, NOW)
    assert slow[("CAL1", "laser.service")] == (FIXED - FAILED).days
    assert slow == fast
