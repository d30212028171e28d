"""Service intervals by boundary: due the day before, on the day, the day after; the
30-day warning edge; the asset's own interval; a stated next-due date; what counts as
a service; out-of-service and retired assets."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from compliance_support import ACTOR, AS_OF, Practice, items_of, row_of

from readiness.audit import records
from readiness.db import Database

D = timedelta(days=1)
YEAR_AGO = date(2025, 3, 9)  # 12 months before AS_OF (2026-03-09)


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        site = p.site("AUS1")

        def laser(asset_id: str, **values: object) -> object:
            return p.asset(site, asset_id, "laser", **values)

        p.service(laser("L-DUE-1"), YEAR_AGO + D)  # due tomorrow
        p.service(laser("L-DUE0"), YEAR_AGO)  # due today
        p.service(laser("L-DUE+1"), YEAR_AGO - D)  # due yesterday
        p.service(laser("L-W30"), date(2025, 4, 8))  # due in 30 days
        p.service(laser("L-W31"), date(2025, 4, 9))  # due in 31 days
        p.service(laser("L-6M", service_interval_months=6), date(2025, 9, 9))
        p.service(laser("L-6M-LATE", service_interval_months=6), date(2025, 9, 8))
        p.service(laser("L-CLAMP", service_interval_months=6), date(2025, 8, 31))
        p.service(laser("L-STATED"), date(2025, 12, 1), next_due_on=date(2026, 3, 1))
        failed = laser("L-FAILED")
        p.service(failed, date(2025, 1, 5))
        p.service(failed, date(2026, 1, 5), result="fail")
        p.service(laser("L-CAL"), date(2025, 6, 1), kind="calibration")
        p.service(laser("L-REPAIR"), date(2026, 2, 1), kind="repair")
        laser("L-NONE")
        p.service(laser("L-OOS", status="out_of_service"), date(2020, 1, 1))
        laser("L-RETIRED", status="retired")
        voided = p.service(laser("L-VOIDED"), date(2026, 1, 1))
        records.void(session, voided, actor=ACTOR, reason="entered on the wrong laser")
        later = laser("L-LATER")
        p.service(later, date(2025, 1, 5))
        p.service(later, AS_OF + D)
        extinguisher = p.asset(site, "FX-1", "fire_extinguisher")
        p.service(extinguisher, date(2025, 6, 1), kind="inspection")
    return items_of(practice_db, as_of=AS_OF)


@pytest.mark.parametrize(
    ("asset_id", "status", "due_on"),
    [
        ("L-DUE-1", "due_soon", AS_OF + D),
        ("L-DUE0", "due_soon", AS_OF),
        ("L-DUE+1", "overdue", AS_OF - D),
        ("L-W30", "due_soon", AS_OF + 30 * D),
        ("L-W31", "ok", AS_OF + 31 * D),
        ("L-6M", "due_soon", AS_OF),
        ("L-6M-LATE", "overdue", AS_OF - D),
        ("L-CLAMP", "overdue", date(2026, 2, 28)),
        ("L-STATED", "overdue", date(2026, 3, 1)),
        ("L-FAILED", "failed", date(2026, 1, 5)),
        ("L-CAL", "ok", date(2026, 6, 1)),
        ("L-REPAIR", "missing", None),
        ("L-NONE", "missing", None),
        ("L-OOS", "not_applicable", None),
        ("L-RETIRED", "not_applicable", None),
        ("L-VOIDED", "missing", None),
        ("L-LATER", "overdue", date(2026, 1, 5)),
    ],
)
def test_laser_service(items: pd.DataFrame, asset_id: str, status: str, due_on: date) -> None:
    row = row_of(items, "laser.service", asset_id)
    assert (row["status"], row["due_on"]) == (status, due_on)


def test_the_detail_explains_the_date(items: pd.DataFrame) -> None:
    assert row_of(items, "laser.service", "L-DUE+1")["detail"] == (
        "Service or calibration overdue since 2026-03-08 (last done 2025-03-08)"
    )
    assert row_of(items, "laser.service", "L-6M")["detail"].endswith("; this device every 6 months")
    assert row_of(items, "laser.service", "L-STATED")["detail"].endswith(
        "; due date from the service report"
    )
    assert row_of(items, "laser.service", "L-NONE")["detail"] == (
        "No passing service or calibration on record"
    )
    assert row_of(items, "laser.service", "L-OOS")["detail"].startswith("Out of service")
    assert row_of(items, "laser.service", "L-RETIRED")["detail"].startswith("Retired")


def test_last_done_is_the_last_passing_service(items: pd.DataFrame) -> None:
    assert row_of(items, "laser.service", "L-FAILED")["last_done_on"] == date(2025, 1, 5)
    assert row_of(items, "laser.service", "L-CAL")["last_done_on"] == date(2025, 6, 1)


def test_each_requirement_reads_its_own_event_kinds(items: pd.DataFrame) -> None:
    # Annual extinguisher maintenance is a service; a visual inspection is not one.
    assert row_of(items, "extinguisher.annual_service", "FX-1")["status"] == "missing"
    assert items[items["subject"] == "FX-1"]["requirement"].tolist() == [
        "extinguisher.annual_service",
        "extinguisher.monthly",
    ]
