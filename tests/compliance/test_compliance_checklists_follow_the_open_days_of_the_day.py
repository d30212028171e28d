"""End to end through import files (tests/data/history_practice, `site_open_days.csv`):
HIS1 was open every day until it closed on Sundays from 1 September 2025. With the
opening check done Monday to Saturday, a Sunday before the change has a missed check,
and a Sunday after it has none: each day is judged with the open days of that day."""

from __future__ import annotations

from datetime import date

import pytest
from history_practice import checked_mon_to_sat as opening_checked
from history_practice import status

from readiness.db import Database

FIRST_MONDAY = date(2025, 8, 25)


@pytest.fixture
def checked_mon_to_sat(db: Database) -> Database:
    """The practice, its opening check done at 09:00 Monday to Saturday for two weeks."""
    return opening_checked(db, FIRST_MONDAY)


def test_a_sunday_check_is_missed_only_while_the_site_opened_on_sundays(
    checked_mon_to_sat: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = status(checked_mon_to_sat, "2025-08-31", capsys)[("aed.daily_check", "HIS1")]
    assert before["status"] == "overdue"
    assert before["due_on"] == "2025-08-31"
    after = status(checked_mon_to_sat, "2025-09-07", capsys)[("aed.daily_check", "HIS1")]
    assert after["status"] == "ok"
    assert after["last_done_on"] == "2025-09-06"


def test_a_monday_after_the_change_looks_back_to_saturday(
    checked_mon_to_sat: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    # Judged at the end of Monday 8 September before its check: Saturday's is the last.
    items = status(checked_mon_to_sat, "2025-09-08", capsys)
    assert items[("aed.daily_check", "HIS1")]["last_done_on"] == "2025-09-06"
