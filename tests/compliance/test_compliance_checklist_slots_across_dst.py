"""Daily checklist slots across the 2026 clock changes: a slot is owed until the end of
its site-local day (23 hours on the spring-forward day, 25 on the fall-back day), then
`overdue` if no run filled it; America/Phoenix keeps standard time all year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from compliance_support import Practice, items_of, local, row_of

from readiness.db import Database

ZONES = {"CHI": "America/Chicago", "NYC": "America/New_York", "PHX": "America/Phoenix"}
# Opening checks done every day of the week before each change, none on the day itself.
DONE_DAYS = [date(2026, 3, d) for d in range(1, 8)] + [date(2026, 10, d) for d in range(25, 32)]


@pytest.fixture(scope="module")
def items_at(practice_db: Database) -> Callable[[str], pd.DataFrame]:
    with practice_db.write() as session:
        p = Practice(session)
        for code, tz in ZONES.items():
            site = p.site(code, tz)
            for day in DONE_DAYS:
                p.run(site, "opening-daily", day, local(day, "09:00", tz))
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
        # Saturday 7 March, 23:30 in Chicago (CST): the day's check was done.
        ("2026-03-08 05:30", "CHI", "ok", "2026-03-08"),
        # 00:30 on Sunday 8 March in New York, still EST: today's check is owed.
        ("2026-03-08 05:30", "NYC", "due_soon", "2026-03-08"),
        ("2026-03-08 05:30", "PHX", "ok", "2026-03-08"),
        ("2026-03-08 06:00", "CHI", "due_soon", "2026-03-08"),
        # Sunday 8 March was 23 hours long: Chicago's ended at 05:00 UTC (CDT).
        ("2026-03-09 04:30", "CHI", "due_soon", "2026-03-08"),
        ("2026-03-09 04:30", "NYC", "overdue", "2026-03-08"),
        ("2026-03-09 04:30", "PHX", "due_soon", "2026-03-08"),
        ("2026-03-09 05:00", "CHI", "overdue", "2026-03-08"),
        ("2026-03-09 05:00", "PHX", "due_soon", "2026-03-08"),
        ("2026-03-09 06:59", "PHX", "due_soon", "2026-03-08"),
        ("2026-03-09 07:00", "PHX", "overdue", "2026-03-08"),
        # Sunday 1 November was 25 hours long: Chicago's ended at 06:00 UTC (CST).
        ("2026-11-02 04:59", "NYC", "due_soon", "2026-11-01"),
        ("2026-11-02 05:00", "NYC", "overdue", "2026-11-01"),
        ("2026-11-02 05:30", "CHI", "due_soon", "2026-11-01"),
        ("2026-11-02 05:59", "CHI", "due_soon", "2026-11-01"),
        ("2026-11-02 06:00", "CHI", "overdue", "2026-11-01"),
        ("2026-11-02 06:00", "PHX", "due_soon", "2026-11-01"),
        ("2026-11-02 07:00", "PHX", "overdue", "2026-11-01"),
    ],
)
def test_the_daily_slot_lasts_the_local_day(
    items_at: Callable[[str], pd.DataFrame], instant: str, site: str, status: str, due_on: str
) -> None:
    items = items_at(instant)
    for requirement in ("aed.daily_check", "kit.seal_daily", "oxygen.daily_pressure"):
        row = row_of(items, requirement, site)
        assert (row["status"], row["due_on"]) == (status, date.fromisoformat(due_on)), requirement


def test_the_detail_says_what_is_owed(items_at: Callable[[str], pd.DataFrame]) -> None:
    before = row_of(items_at("2026-03-09 04:30"), "aed.daily_check", "CHI")
    assert before["detail"] == "Due by 10:00 today (last done 2026-03-07)"
    after = row_of(items_at("2026-03-09 05:00"), "aed.daily_check", "CHI")
    assert after["detail"] == "Not done by the end of 2026-03-08 (last done 2026-03-07)"
    assert after["last_done_on"] == date(2026, 3, 7)
    done = row_of(items_at("2026-03-08 05:30"), "aed.daily_check", "CHI")
    assert done["detail"] == "Done 2026-03-07; next due 2026-03-08"
