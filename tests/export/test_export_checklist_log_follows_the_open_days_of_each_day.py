"""The checklist log owes each day's slot by the open days in force that day
(tests/data/history_practice: HIS1 was open every day until it closed on Sundays from
1 September 2025). With the opening check done Monday to Saturday, the Sunday before
the change is a missed slot and the Sunday after it is owed nothing, as the engine
judges those days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from export_world import request
from history_practice import checked_mon_to_sat as opening_checked
from openpyxl import load_workbook

from readiness.db import Database
from readiness.export import export_workbook

FIRST_MONDAY = date(2025, 8, 25)
LAST_SUNDAY = date(2025, 9, 7)


@pytest.fixture
def checked_mon_to_sat(db: Database) -> Database:
    """The practice, its opening check done at 09:00 Monday to Saturday for two weeks."""
    return opening_checked(db, FIRST_MONDAY)


def _opening_rows(path: Path) -> dict[date, str]:
    rows = load_workbook(path, read_only=True)["Checklist log"].iter_rows(values_only=True)
    header = next(rows)
    log = [dict(zip(header, row, strict=False)) for row in rows]
    return {
        row["Slot date"].date(): str(row["Status"])  # type: ignore[union-attr]
        for row in log
        if row["Checklist"] == "opening-daily"
    }


def test_a_sunday_is_owed_only_while_the_site_opened_on_sundays(
    checked_mon_to_sat: Database, tmp_path: Path
) -> None:
    path = tmp_path / "two-weeks.xlsx"
    export_workbook(
        checked_mon_to_sat,
        request(sites=("HIS1",), start=FIRST_MONDAY, end=LAST_SUNDAY),
        path,
    )
    opening = _opening_rows(path)

    assert opening[date(2025, 8, 31)] == "missed"
    assert date(2025, 9, 7) not in opening
    days = sorted(opening)
    assert len(days) == 13  # seven days, then six
    assert {status for day, status in opening.items() if day.weekday() != 6} == {"done"}
