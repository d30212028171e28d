"""As of a past date, only what was known by the end of that day counts: services,
cards, drills, reviews, stock received and checklist runs dated or signed later are
ignored ("were we compliant on 3 March?")."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from compliance_support import NOW, Practice, items_of, local, row_of

from readiness.db import Database

TZ = "America/Chicago"
THEN = date(2026, 3, 3)
LATER = date(2026, 3, 5)
D = timedelta(days=1)


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        site = p.site("AUS1", TZ)
        laser = p.asset(site, "L-1", "laser")
        p.service(laser, date(2025, 2, 1))
        p.service(laser, LATER)
        person = p.staff(site, "S-1", "aesthetician")
        p.cert(person, "bls", date(2024, 1, 10))  # valid through 2026-01-31
        p.cert(person, "bls", LATER)
        p.drill(site, "fire", local(date(2025, 11, 1), "10:00", TZ))
        p.drill(site, "fire", local(THEN + D, "10:00", TZ))
        p.document(site, "emergency_plan", date(2025, 1, 15))
        p.document(site, "emergency_plan", THEN + D)
        p.lot(site, "epinephrine_adult", date(2027, 1, 31), 2, received_on=THEN + D)
        for n in range(13):  # 25 February to 9 March
            day = date(2026, 2, 25) + n * D
            # 3 March's check was signed the next morning, after that day had ended.
            signed = local(THEN + D, "08:00", TZ) if day == THEN else local(day, "08:30", TZ)
            p.run(site, "opening-daily", day, signed)
    return practice_db


@pytest.fixture(scope="module")
def then(db: Database) -> pd.DataFrame:
    return items_of(db, as_of=THEN, now_utc=NOW)


@pytest.fixture(scope="module")
def now(db: Database) -> pd.DataFrame:
    return items_of(db, now_utc=NOW)


@pytest.mark.parametrize(
    ("requirement", "subject", "then_status", "now_status"),
    [
        ("laser.service", "L-1", "overdue", "ok"),
        ("cert.bls", "S-1", "expired", "ok"),
        ("drill.fire", "AUS1", "overdue", "ok"),
        ("doc.emergency_plan", "AUS1", "overdue", "ok"),
        ("stock.epinephrine_adult", "AUS1", "missing", "ok"),
        # At the close of 3 March its check had not been signed.
        ("aed.daily_check", "AUS1", "overdue", "ok"),
    ],
)
def test_later_facts_do_not_count(
    then: pd.DataFrame,
    now: pd.DataFrame,
    requirement: str,
    subject: str,
    then_status: str,
    now_status: str,
) -> None:
    assert row_of(then, requirement, subject)["status"] == then_status
    assert row_of(now, requirement, subject)["status"] == now_status


def test_last_done_is_as_known_then(then: pd.DataFrame) -> None:
    assert row_of(then, "laser.service", "L-1")["last_done_on"] == date(2025, 2, 1)
    assert row_of(then, "aed.daily_check", "AUS1")["last_done_on"] == date(2026, 3, 2)
