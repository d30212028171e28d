"""Dates carried by an asset (AED pads and battery): replaced before, not on, the date;
the 60-day warning edge; no date on file; assets not in service."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from compliance_support import AS_OF, Practice, items_of, row_of

from readiness.db import Database

D = timedelta(days=1)
PADS = {
    "A-EXP-1": AS_OF - D,
    "A-EXP0": AS_OF,
    "A-EXP+1": AS_OF + D,
    "A-W60": AS_OF + 60 * D,
    "A-W61": AS_OF + 61 * D,
    "A-NONE": None,
}


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        site = p.site("AUS1")
        for asset_id, pads in PADS.items():
            p.asset(
                site, asset_id, "aed", pads_expire_on=pads, battery_expires_on=date(2030, 1, 31)
            )
        p.asset(site, "A-OOS", "aed", status="out_of_service", pads_expire_on=date(2020, 1, 1))
        p.asset(site, "A-BATT", "aed", pads_expire_on=date(2030, 1, 1), battery_expires_on=AS_OF)
    return items_of(practice_db, as_of=AS_OF)


@pytest.mark.parametrize(
    ("asset_id", "status"),
    [
        ("A-EXP-1", "expired"),
        ("A-EXP0", "expired"),
        ("A-EXP+1", "due_soon"),
        ("A-W60", "due_soon"),
        ("A-W61", "ok"),
        ("A-NONE", "missing"),
        ("A-OOS", "not_applicable"),
    ],
)
def test_pads(items: pd.DataFrame, asset_id: str, status: str) -> None:
    row = row_of(items, "aed.pads", asset_id)
    assert row["status"] == status
    if status != "not_applicable":
        assert row["due_on"] == PADS[asset_id]


def test_battery_is_its_own_item(items: pd.DataFrame) -> None:
    assert row_of(items, "aed.battery", "A-BATT")["status"] == "expired"
    assert row_of(items, "aed.battery", "A-W61")["status"] == "ok"
    assert row_of(items, "aed.pads", "A-BATT")["status"] == "ok"


def test_the_detail_says_the_date_and_the_days(items: pd.DataFrame) -> None:
    assert row_of(items, "aed.pads", "A-EXP0")["detail"] == (
        "AED pads expired: expiry date 2026-03-09 (today)"
    )
    assert row_of(items, "aed.pads", "A-W60")["detail"] == (
        "AED pads expiry date 2026-05-08 (in 60 days)"
    )
    assert row_of(items, "aed.pads", "A-NONE")["detail"] == "No AED pads expiry date on file"
