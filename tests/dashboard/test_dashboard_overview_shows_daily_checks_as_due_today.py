"""The overview's "falling due" list and figures: a daily check is due today (until it is
done), never "due in N days"; a monthly check with a date weeks away is listed as such."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from compliance_support import POLICY, Practice, items_of, local

from readiness.compliance import scenario_readiness
from readiness.compliance.checklists import every_open_day
from readiness.db import Database
from readiness.views import overview

TZ = "America/Chicago"
TODAY = date(2026, 3, 9)
NOW = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # 09:00 CDT: opening checks due by 10:00
DAILY = ("aed.daily_check", "kit.seal_daily", "oxygen.daily_pressure")


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        owed, done = p.site("OWED", TZ), p.site("DONE", TZ)
        yesterday = TODAY - timedelta(days=1)
        for site in (owed, done):
            p.run(site, "opening-daily", yesterday, local(yesterday, "08:30", TZ))
        p.run(done, "opening-daily", TODAY, local(TODAY, "08:30", TZ))
        extinguisher = p.asset(owed, "X-1", "fire_extinguisher")
        checked = date(2026, 3, 2)  # due 30 days later: 1 April
        p.run(
            owed,
            "extinguisher-monthly",
            date(2026, 3, 1),
            local(checked, "11:00", TZ),
            asset=extinguisher,
        )
    return items_of(practice_db, now_utc=NOW)


def _model(items: pd.DataFrame) -> overview.OverviewModel:
    scenarios = scenario_readiness(items, POLICY)
    return overview.model(items, scenarios, {"OWED": TODAY, "DONE": TODAY})


def test_daily_checks_are_due_today_not_in_30_days(items: pd.DataFrame) -> None:
    assert set(DAILY) <= every_open_day(POLICY)
    listed = overview.upcoming(_model(items), 30)
    daily = listed[listed["requirement"].isin(DAILY)]
    # Owed today at OWED; done today at DONE (due tomorrow): not listed at all.
    assert sorted(zip(daily["site"], daily["when"], strict=True)) == [("OWED", "today")] * 3
    extinguisher = listed[listed["requirement"] == "extinguisher.monthly"]
    assert list(extinguisher["when"]) == ["in 23 days"]
    assert list(extinguisher["due_on"]) == [date(2026, 4, 1)]


def test_the_figures_count_them_apart(items: pd.DataFrame) -> None:
    figures = _model(items).figures
    todays = {"OWED": TODAY, "DONE": TODAY}
    due_today = overview.due_within(items, todays, 0)
    assert figures["due today"] == len(due_today)
    assert set(DAILY) <= set(due_today["requirement"])
    daily = every_open_day(POLICY)
    in_30 = overview.due_within(items[~items["requirement"].isin(list(daily))], todays, 30)
    assert figures["due in 30 days"] == len(in_30)
    assert not set(in_30["requirement"]) & set(DAILY)
    assert "extinguisher.monthly" in set(in_30["requirement"])
