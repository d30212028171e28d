"""Calendar-month arithmetic clamps to the end of a shorter month."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.rules.due import add_months, month_end


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),  # common year
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # century, not leap
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # 400-year leap
        (date(2024, 1, 30), 1, date(2024, 2, 29)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),
        (date(2024, 1, 28), 1, date(2024, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 4, 30), 1, date(2024, 5, 30)),  # never pushed up to the 31st
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 12, 31), 1, date(2025, 1, 31)),
        (date(2024, 12, 15), 12, date(2025, 12, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 1, 15), -25, date(2021, 12, 15)),
        (date(2024, 5, 17), 0, date(2024, 5, 17)),
    ],
)
def test_it_moves_by_calendar_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2023, 2, 14), date(2023, 2, 28)),
        (date(2024, 4, 30), date(2024, 4, 30)),
        (date(2024, 12, 1), date(2024, 12, 31)),
        (date(2026, 3, 15), date(2026, 3, 31)),
    ],
)
def test_month_end_is_the_last_day_of_the_month(day: date, expected: date) -> None:
    assert month_end(day) == expected


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)), st.integers(-600, 600))
def test_it_lands_in_the_right_month_never_later_in_it(start: date, months: int) -> None:
    moved = add_months(start, months)
    assert moved.year * 12 + moved.month == start.year * 12 + start.month + months
    assert moved.day == min(start.day, month_end(moved).day)
