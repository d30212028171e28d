"""Site designations: a Laser Safety Officer with current training, a BLS-current
clinician on the roster; counted among active staff, missing below the minimum, due
soon when the last current card lapses within the warning window."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from compliance_support import AS_OF, Practice, items_of, row_of

from readiness.db import Database

D = timedelta(days=1)


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        good = p.site("GOOD")
        p.cert(p.staff(good, "G-1", "rn", is_lso=True), "lso", date(2025, 1, 1))
        p.cert(p.staff(good, "G-2", "medical_director"), "bls", date(2025, 6, 1))
        p.cert(p.staff(good, "G-3", "aesthetician"), "bls", date(2020, 6, 1))
        lapsing = p.site("LAPSING")
        p.cert(p.staff(lapsing, "L-1", "np", is_lso=True), "lso", date(2023, 3, 20))
        p.cert(p.staff(lapsing, "L-2", "rn"), "bls", AS_OF, AS_OF + 30 * D)
        p.cert(p.staff(lapsing, "L-3", "rn"), "bls", AS_OF, AS_OF + 31 * D)
        nobody = p.site("NOBODY")
        p.cert(p.staff(nobody, "N-1", "front_desk"), "bls", date(2025, 6, 1))
        p.cert(p.staff(nobody, "N-2", "rn", active=False, is_lso=True), "lso", date(2025, 1, 1))
        p.cert(p.staff(nobody, "N-3", "rn", active=False), "bls", date(2025, 6, 1))
        expired = p.site("EXPIRED")
        p.cert(p.staff(expired, "X-1", "rn", is_lso=True), "lso", date(2022, 1, 1))
    return items_of(practice_db, as_of=AS_OF)


@pytest.mark.parametrize(
    ("requirement", "site", "status", "due_on"),
    [
        ("site.lso_designated", "GOOD", "ok", date(2028, 1, 1)),
        ("staffing.bls_clinician", "GOOD", "ok", date(2027, 6, 30)),
        ("site.lso_designated", "LAPSING", "due_soon", date(2026, 3, 20)),
        # The later of two cards keeps the site covered: 31 days is outside the window.
        ("staffing.bls_clinician", "LAPSING", "ok", AS_OF + 31 * D),
        ("site.lso_designated", "NOBODY", "missing", None),
        ("staffing.bls_clinician", "NOBODY", "missing", None),
        ("site.lso_designated", "EXPIRED", "missing", None),
    ],
)
def test_designations(
    items: pd.DataFrame, requirement: str, site: str, status: str, due_on: date
) -> None:
    row = row_of(items, requirement, site)
    assert (row["status"], row["due_on"]) == (status, due_on)


def test_the_detail_names_the_holders(items: pd.DataFrame) -> None:
    assert row_of(items, "staffing.bls_clinician", "GOOD")["detail"] == (
        "1 of 3 eligible staff hold a current BLS card (G-2); minimum 1; covered until 2027-06-30"
    )
    assert row_of(items, "site.lso_designated", "NOBODY")["detail"] == (
        "No active staff marked LSO on the roster; minimum 1"
    )
    assert row_of(items, "site.lso_designated", "EXPIRED")["detail"] == (
        "0 of 1 staff marked LSO hold a current LSO card; minimum 1"
    )
