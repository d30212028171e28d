"""Checklist slots follow the site's open days and the requirement's period: a closed
day owes nothing, a daily slot is overdue from its due time (10:00), a monthly slot is
due on the last open day of its month (eyewear: no day limit beside the calendar
month), per-asset requirements are met per asset, and a run counts for the slot it
was filed under."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from compliance_support import ACTOR, Practice, items_of, local, row_of

from readiness.audit import records
from readiness.db import Database

TZ = "America/Chicago"
MON_SAT = "mon-sat"
WEEK = [date(2026, 3, d) for d in range(2, 8)]  # Monday 2 to Saturday 7 March
SUNDAY, MONDAY = date(2026, 3, 8), date(2026, 3, 9)
AT_MONDAY_NOON = "2026-03-09 18:00"  # 13:00 CDT on Monday 9 March
AT_MONDAY_NINE = "2026-03-09 14:00"  # 09:00 CDT: before the opening check's 10:00


@pytest.fixture(scope="module")
def items_at(practice_db: Database) -> Callable[[str], pd.DataFrame]:
    with practice_db.write() as session:
        p = Practice(session)
        shop = p.site("SHOP", TZ, open_days=MON_SAT)
        for day in WEEK:
            p.run(shop, "opening-daily", day, local(day, "08:30", TZ))
        today = p.site("TODAY", TZ, open_days=MON_SAT)
        for day in [*WEEK, MONDAY]:
            p.run(today, "opening-daily", day, local(day, "08:30", TZ))
        missed = p.site("MISSED", TZ, open_days=MON_SAT)
        for day in WEEK[:-1]:
            p.run(missed, "opening-daily", day, local(day, "08:30", TZ))
        # Saturday missed, Monday's check done: checked now, the miss stays on record.
        made_good = p.site("MADEGOOD", TZ, open_days=MON_SAT)
        for day in [*WEEK[:-1], MONDAY]:
            p.run(made_good, "opening-daily", day, local(day, "08:30", TZ))
        late = p.site("LATE", TZ, open_days=MON_SAT)
        for day in WEEK[:-1]:
            p.run(late, "opening-daily", day, local(day, "08:30", TZ))
        # Saturday's check signed on Monday morning: late, but the slot is filled.
        p.run(late, "opening-daily", WEEK[-1], local(MONDAY, "08:00", TZ))
        voided = p.site("VOIDED", TZ, open_days=MON_SAT)
        for day in WEEK:
            run = p.run(voided, "opening-daily", day, local(day, "08:30", TZ))
        records.void(session, run, actor=ACTOR, reason="signed for the wrong site")
        lasers = p.site("LASERS", TZ, open_days=MON_SAT)
        checked = p.asset(lasers, "L-CHECKED", "laser")
        p.asset(lasers, "L-IDLE", "laser")
        p.asset(lasers, "L-OOS", "laser", status="out_of_service")
        for day in WEEK:
            p.run(lasers, "laser-preuse-daily", day, local(day, "08:00", TZ), asset=checked)
        monthly = p.site("MONTHLY", TZ, open_days=MON_SAT)
        feb = p.asset(monthly, "EYE-FEB", "eyewear")
        p.asset(monthly, "EYE-NONE", "eyewear")
        december = p.asset(monthly, "EYE-DEC", "eyewear")
        p.run(
            monthly,
            "eyewear-monthly",
            date(2025, 12, 1),
            local(date(2025, 12, 10), "11:00", TZ),
            asset=december,
        )
        # Last opening check a fortnight ago: older than the few days the status needs.
        stale = p.site("STALE", TZ, open_days=MON_SAT)
        p.run(stale, "opening-daily", date(2026, 2, 23), local(date(2026, 2, 23), "08:30", TZ))
        # Filed under February's slot (its first open day), done on the 10th.
        p.run(
            monthly,
            "eyewear-monthly",
            date(2026, 2, 2),
            local(date(2026, 2, 10), "11:00", TZ),
            asset=feb,
        )
    cache: dict[str, pd.DataFrame] = {}

    def at(instant: str) -> pd.DataFrame:
        if instant not in cache:
            now = datetime.fromisoformat(instant).replace(tzinfo=UTC)
            cache[instant] = items_of(practice_db, now_utc=now)
        return cache[instant]

    return at


@pytest.mark.parametrize(
    ("instant", "site", "status", "due_on"),
    [
        # Sunday is closed: on Sunday nothing is owed, on Monday Saturday's slot decides.
        ("2026-03-08 18:00", "SHOP", "ok", MONDAY),
        # Monday 09:00 CDT: Monday's check is owed by 10:00.
        (AT_MONDAY_NINE, "SHOP", "due_soon", MONDAY),
        # Monday 13:00 CDT: not done by 10:00, so overdue (a missed Monday decides).
        (AT_MONDAY_NOON, "SHOP", "overdue", MONDAY),
        (AT_MONDAY_NOON, "TODAY", "ok", date(2026, 3, 10)),
        (AT_MONDAY_NINE, "MISSED", "overdue", WEEK[-1]),
        (AT_MONDAY_NOON, "MISSED", "overdue", MONDAY),
        ("2026-03-08 18:00", "MISSED", "overdue", WEEK[-1]),
        (AT_MONDAY_NINE, "LATE", "due_soon", MONDAY),
        ("2026-03-08 18:00", "MADEGOOD", "overdue", WEEK[-1]),
        ("2026-03-09 13:00", "MADEGOOD", "overdue", WEEK[-1]),  # 08:00 CDT, not yet done
        (AT_MONDAY_NOON, "MADEGOOD", "ok", date(2026, 3, 10)),
        (AT_MONDAY_NINE, "VOIDED", "overdue", WEEK[-1]),
    ],
)
def test_open_days(
    items_at: Callable[[str], pd.DataFrame], instant: str, site: str, status: str, due_on: date
) -> None:
    row = row_of(items_at(instant), "aed.daily_check", site)
    assert (row["status"], row["due_on"]) == (status, due_on)


def test_the_sentences(items_at: Callable[[str], pd.DataFrame]) -> None:
    items = items_at(AT_MONDAY_NOON)
    assert row_of(items, "aed.daily_check", "TODAY")["detail"] == (
        "Last done 2026-03-09; next due 2026-03-10"
    )
    assert row_of(items_at(AT_MONDAY_NINE), "aed.daily_check", "SHOP")["detail"] == (
        "Due by 10:00 today (last done 2026-03-07)"
    )
    assert row_of(items, "aed.daily_check", "SHOP")["detail"] == (
        "Not done by 10:00 today (last done 2026-03-07)"
    )
    sunday = row_of(items_at("2026-03-08 18:00"), "aed.daily_check", "SHOP")
    assert sunday["detail"] == "Last done 2026-03-07; next due 2026-03-09"


@pytest.mark.parametrize(
    ("asset_id", "status"),
    [("L-CHECKED", "due_soon"), ("L-IDLE", "overdue"), ("L-OOS", "not_applicable")],
)
def test_a_per_asset_check_is_owed_by_each_asset(
    items_at: Callable[[str], pd.DataFrame], asset_id: str, status: str
) -> None:
    assert row_of(items_at(AT_MONDAY_NINE), "laser.daily_check", asset_id)["status"] == status


@pytest.mark.parametrize(
    ("instant", "asset_id", "status", "due_on"),
    [
        # March's inspection is not due until the last open day of March.
        (AT_MONDAY_NOON, "EYE-FEB", "ok", date(2026, 3, 31)),
        # February's last open day was Saturday 28 February.
        (AT_MONDAY_NOON, "EYE-NONE", "overdue", date(2026, 2, 28)),
        # No due time: owed until the end of the day (05:00 UTC is midnight CDT).
        ("2026-04-01 04:59", "EYE-FEB", "due_soon", date(2026, 3, 31)),
        ("2026-04-01 05:00", "EYE-FEB", "overdue", date(2026, 3, 31)),
    ],
)
def test_monthly_slots(
    items_at: Callable[[str], pd.DataFrame],
    instant: str,
    asset_id: str,
    status: str,
    due_on: date,
) -> None:
    row = row_of(items_at(instant), "eyewear.inspection", asset_id)
    assert (row["status"], row["due_on"]) == (status, due_on)


def test_a_monthly_run_is_reported_on_the_day_it_was_done(
    items_at: Callable[[str], pd.DataFrame],
) -> None:
    row = row_of(items_at(AT_MONDAY_NOON), "eyewear.inspection", "EYE-FEB")
    assert row["last_done_on"] == date(2026, 2, 10)
    assert row["detail"] == "Due by 2026-03-31 (last done 2026-02-10)"


def test_last_done_is_found_beyond_the_slots_that_decide(
    items_at: Callable[[str], pd.DataFrame],
) -> None:
    items = items_at(AT_MONDAY_NOON)
    december = row_of(items, "eyewear.inspection", "EYE-DEC")
    assert (december["status"], december["last_done_on"]) == ("overdue", date(2025, 12, 10))
    assert december["detail"] == "Not done by the end of 2026-02-28 (last done 2025-12-10)"
    stale = row_of(items, "aed.daily_check", "STALE")
    assert (stale["status"], stale["last_done_on"]) == ("overdue", date(2026, 2, 23))
    never = row_of(items, "eyewear.inspection", "EYE-NONE")
    assert never["detail"] == "Not done by the end of 2026-02-28 (never done)"
