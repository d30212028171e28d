"""Daily checklist slots across the 2026 clock changes: the opening check is owed until
10:00 site time (still pending at 10:00 itself, overdue from just after it, as `checklist
due` says), which is a different UTC hour on either side of a change; America/Phoenix
keeps standard time all year."""

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
        # Sunday 8 March, clocks forward: 10:00 CDT is 15:00 UTC (16:00 the day before).
        ("2026-03-08 14:59", "CHI", "due_soon", "2026-03-08"),
        ("2026-03-08 15:00", "CHI", "due_soon", "2026-03-08"),
        ("2026-03-08 15:01", "CHI", "overdue", "2026-03-08"),
        # 10:00 EDT is 14:00 UTC.
        ("2026-03-08 13:59", "NYC", "due_soon", "2026-03-08"),
        ("2026-03-08 14:00", "NYC", "due_soon", "2026-03-08"),
        ("2026-03-08 14:01", "NYC", "overdue", "2026-03-08"),
        # Phoenix: 10:00 MST is 17:00 UTC all year.
        ("2026-03-08 15:01", "PHX", "due_soon", "2026-03-08"),
        ("2026-03-08 17:00", "PHX", "due_soon", "2026-03-08"),
        ("2026-03-08 17:01", "PHX", "overdue", "2026-03-08"),
        # The next day, the missed Sunday still decides until Monday's check is due.
        ("2026-03-09 05:30", "CHI", "overdue", "2026-03-08"),
        # Sunday 1 November, clocks back: 10:00 CST is 16:00 UTC, 10:00 EST is 15:00 UTC.
        ("2026-11-01 15:59", "CHI", "due_soon", "2026-11-01"),
        ("2026-11-01 16:00", "CHI", "due_soon", "2026-11-01"),
        ("2026-11-01 16:01", "CHI", "overdue", "2026-11-01"),
        ("2026-11-01 14:59", "NYC", "due_soon", "2026-11-01"),
        ("2026-11-01 15:01", "NYC", "overdue", "2026-11-01"),
        ("2026-11-01 16:01", "PHX", "due_soon", "2026-11-01"),
        ("2026-11-01 17:01", "PHX", "overdue", "2026-11-01"),
    ],
)
def test_the_daily_slot_is_owed_until_its_due_time(
    items_at: Callable[[str], pd.DataFrame], instant: str, site: str, status: str, due_on: str
) -> None:
    items = items_at(instant)
    for requirement in ("aed.daily_check", "kit.seal_daily", "oxygen.daily_pressure"):
        row = row_of(items, requirement, site)
        assert (row["status"], row["due_on"]) == (status, date.fromisoformat(due_on)), requirement


def test_the_detail_says_what_is_owed(items_at: Callable[[str], pd.DataFrame]) -> None:
    before = row_of(items_at("2026-03-08 14:59"), "aed.daily_check", "CHI")
    assert before["detail"] == "Due by 10:00 today (last done 2026-03-07)"
    after = row_of(items_at("2026-03-08 15:01"), "aed.daily_check", "CHI")
    assert after["detail"] == "Not done by 10:00 today (last done 2026-03-07)"
    assert after["last_done_on"] == date(2026, 3, 7)
    next_day = row_of(items_at("2026-03-09 05:30"), "aed.daily_check", "CHI")
    assert next_day["detail"] == "Not done by 10:00 on 2026-03-08 (last done 2026-03-07)"
    done = row_of(items_at("2026-03-08 05:30"), "aed.daily_check", "CHI")
    assert done["detail"] == "Last done 2026-03-07; next due 2026-03-08"
