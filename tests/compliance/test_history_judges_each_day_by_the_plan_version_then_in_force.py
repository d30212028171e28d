"""The day-by-day history judges plan.acknowledged against the version of the plan in force
on each day: an acknowledgement of the old plan holds until the plan changes, the new
version is owed by everyone from the day of the change, and it is met from the day each
person signs it (tests/plan_change_practice.py describes the practice and the days)."""

from __future__ import annotations

from pathlib import Path

from plan_change_practice import END, OUT_DAYS, START, build_practice, history_out

from readiness.db import Database


def test_each_persons_days_out_are_those_worked_out_by_hand(db: Database, tmp_path: Path) -> None:
    found = history_out(build_practice(db, tmp_path), START, END)
    # DAL1 (D-1 to D-3 fine until the change, D-4 out from it to the end) and DEN1, in good
    # order (green from the first signing on, across the change), person by person.
    assert found == OUT_DAYS
