"""A drill is judged: one recorded as failed, or slower than the policy's target (time to
the AED 180 s), is `failed` from its local day until a later passing drill (the day
before, on the day, the day after); the due date runs from the last passing drill; a
drill exactly on target passes; the export's day masks count the same days out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from compliance_support import Practice, items_of, local, row_of
from history_support import both_counts

from readiness.db import Database

D = timedelta(days=1)
TZ = "America/Chicago"
PASSED = date(2025, 12, 1)  # quarterly: due 2026-03-01
FAILED = date(2026, 1, 12)
FIXED = date(2026, 1, 26)  # due 2026-04-26
NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
CLEARS = "; cleared by a passing drill"


def at(day: date, hhmm: str = "10:00") -> datetime:
    return local(day, hhmm, TZ)


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        failed = p.site("FAIL", TZ)
        p.drill(failed, "anaphylaxis", at(PASSED))
        p.drill(failed, "anaphylaxis", at(FAILED), "fail")
        p.drill(failed, "anaphylaxis", at(FIXED))
        slow = p.site("SLOW", TZ)
        p.drill(slow, "cardiac_arrest", at(PASSED), time_to_aed_s=150)
        p.drill(slow, "cardiac_arrest", at(FAILED), time_to_aed_s=240)
        p.drill(slow, "cardiac_arrest", at(FIXED), time_to_aed_s=180)  # on target: passes
        both = p.site("BOTH", TZ)
        p.drill(both, "cardiac_arrest", at(FAILED), "fail", time_to_aed_s=240)
        fixed = p.site("SAME-DAY-FIX", TZ)
        p.drill(fixed, "fire", at(FAILED, "09:00"), "fail")
        p.drill(fixed, "fire", at(FAILED, "15:00"))
        broken = p.site("SAME-DAY-FAIL", TZ)
        p.drill(broken, "fire", at(FAILED, "09:00"))
        p.drill(broken, "fire", at(FAILED, "15:00"), "fail")
        # 23:30 in Chicago on 11 January is 12 January in UTC: the site's day counts.
        late = p.site("LATE", TZ)
        p.drill(late, "fire", at(PASSED))
        p.drill(late, "fire", at(FAILED - D, "23:30"), "fail")
    return practice_db


@pytest.fixture(scope="module")
def judged(db: Database) -> dict[date, pd.DataFrame]:
    days = [FAILED - 2 * D, FAILED - D, FAILED, FAILED + D, FIXED - D, FIXED, FIXED + D]
    return {day: items_of(db, as_of=day, now_utc=NOW) for day in days}


@pytest.mark.parametrize(
    ("requirement", "site"), [("drill.anaphylaxis", "FAIL"), ("drill.cardiac_arrest", "SLOW")]
)
@pytest.mark.parametrize(
    ("day", "status", "due_on", "last_done_on"),
    [
        (FAILED - D, "ok", date(2026, 3, 1), PASSED),
        (FAILED, "failed", date(2026, 3, 1), PASSED),
        (FAILED + D, "failed", date(2026, 3, 1), PASSED),
        (FIXED - D, "failed", date(2026, 3, 1), PASSED),
        (FIXED, "ok", date(2026, 4, 26), FIXED),
        (FIXED + D, "ok", date(2026, 4, 26), FIXED),
    ],
)
def test_a_failing_drill_is_failed_until_a_later_passing_one(
    judged: dict[date, pd.DataFrame],
    requirement: str,
    site: str,
    day: date,
    status: str,
    due_on: date,
    last_done_on: date,
) -> None:
    row = row_of(judged[day], requirement, site)
    assert (row["status"], row["due_on"], row["last_done_on"]) == (status, due_on, last_done_on)


def test_the_detail_says_which_drill_and_what_was_missed(
    judged: dict[date, pd.DataFrame],
) -> None:
    assert row_of(judged[FAILED], "drill.anaphylaxis", "FAIL")["detail"] == (
        "Anaphylaxis drill on 2026-01-12 was recorded as failed" + CLEARS
    )
    assert row_of(judged[FAILED], "drill.cardiac_arrest", "SLOW")["detail"] == (
        "Cardiac arrest mock code with AED on 2026-01-12 missed its target:"
        " time to AED 240 s, target 180 s" + CLEARS
    )
    row = row_of(judged[FIXED], "drill.cardiac_arrest", "BOTH")
    assert (row["status"], row["due_on"], row["last_done_on"]) == ("failed", None, None)
    assert row["detail"] == (
        "Cardiac arrest mock code with AED on 2026-01-12 was recorded as failed;"
        " time to AED 240 s, target 180 s" + CLEARS
    )


@pytest.mark.parametrize(
    ("site", "day", "status"),
    [
        ("SAME-DAY-FIX", FAILED, "ok"),
        ("SAME-DAY-FAIL", FAILED, "failed"),
        ("LATE", FAILED - 2 * D, "ok"),
        ("LATE", FAILED - D, "failed"),
    ],
)
def test_the_latest_drill_of_the_site_day_decides(
    judged: dict[date, pd.DataFrame], site: str, day: date, status: str
) -> None:
    assert row_of(judged[day], "drill.fire", site)["status"] == status


def test_the_export_counts_the_days_the_engine_judges_out(db: Database) -> None:
    wanted = {"drill.anaphylaxis", "drill.cardiac_arrest", "drill.fire"}
    codes = ["FAIL", "SLOW", "BOTH", "SAME-DAY-FIX", "SAME-DAY-FAIL", "LATE"]
    slow, fast = both_counts(db, codes, wanted, FAILED - 3 * D, FIXED + 3 * D, NOW)
    assert slow[("FAIL", "drill.anaphylaxis")] == (FIXED - FAILED).days
    assert slow[("SLOW", "drill.cardiac_arrest")] == (FIXED - FAILED).days
    assert slow == fast
