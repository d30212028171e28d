"""Recurring requirements: next due date, then due_soon up to and on it, overdue the day after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from readiness.rules.due import next_due, status_for_due
from readiness.rules.status import Status


@pytest.mark.parametrize(
    ("last_done_on", "months", "days", "expected"),
    [
        (date(2025, 3, 10), 12, None, date(2026, 3, 10)),  # laser service
        (date(2025, 8, 31), 6, None, date(2026, 2, 28)),  # per-asset 6-month override
        (date(2023, 8, 31), 6, None, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, None, date(2026, 2, 28)),  # quarterly drill
        (date(2025, 12, 31), 3, None, date(2026, 3, 31)),
        (date(2024, 2, 29), 12, None, date(2025, 2, 28)),
        (date(2026, 1, 31), 1, None, date(2026, 2, 28)),
        (date(2026, 3, 9), None, 1, date(2026, 3, 10)),
        (date(2026, 2, 28), None, 1, date(2026, 3, 1)),
        (date(2024, 2, 28), None, 1, date(2024, 2, 29)),
        (date(2025, 12, 31), None, 1, date(2026, 1, 1)),
        (date(2026, 3, 1), None, 7, date(2026, 3, 8)),
        (date(2026, 1, 1), None, 90, date(2026, 4, 1)),
    ],
)
def test_next_due_adds_the_interval(
    last_done_on: date, months: int | None, days: int | None, expected: date
) -> None:
    assert next_due(last_done_on, months=months, days=days) == expected


@pytest.mark.parametrize(("months", "days"), [(None, None), (12, 30)])
def test_next_due_wants_exactly_one_unit(months: int | None, days: int | None) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        next_due(date(2026, 1, 1), months=months, days=days)


DUE = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("as_of", "warn_days", "expected"),
    [
        (DUE - timedelta(days=31), [30], Status.OK),
        (DUE - timedelta(days=30), [30], Status.DUE_SOON),
        (DUE - timedelta(days=29), [30], Status.DUE_SOON),
        (DUE - timedelta(days=1), [30], Status.DUE_SOON),  # the day before
        (DUE, [30], Status.DUE_SOON),  # the due day: still on time
        (DUE + timedelta(days=1), [30], Status.OVERDUE),  # the day after
        (DUE + timedelta(days=400), [30], Status.OVERDUE),
        (DUE - timedelta(days=1), [], Status.OK),  # no warning window
        (DUE, [], Status.DUE_SOON),  # due today is always flagged
        (DUE + timedelta(days=1), [], Status.OVERDUE),
        (DUE - timedelta(days=1), 0, Status.OK),
        (DUE - timedelta(days=1), 1, Status.DUE_SOON),
        (DUE - timedelta(days=2), 1, Status.OK),
    ],
)
def test_recurring_status_around_the_due_day(
    as_of: date, warn_days: list[int] | int, expected: Status
) -> None:
    assert status_for_due(DUE, as_of, warn_days, "recurring") == expected


@pytest.mark.parametrize("valid_through", [True, False])
def test_valid_through_never_moves_a_recurring_due_day(valid_through: bool) -> None:
    assert status_for_due(DUE, DUE, [30], "recurring", valid_through=valid_through) == (
        Status.DUE_SOON
    )


def test_never_done_is_missing() -> None:
    assert status_for_due(None, DUE, [30], "recurring") == Status.MISSING


@pytest.mark.parametrize(
    ("last_done_on", "as_of", "expected"),
    [
        (date(2025, 3, 10), date(2026, 2, 7), Status.OK),
        (date(2025, 3, 10), date(2026, 2, 8), Status.DUE_SOON),  # 30 days before 10 March
        (date(2025, 3, 10), date(2026, 3, 10), Status.DUE_SOON),
        (date(2025, 3, 10), date(2026, 3, 11), Status.OVERDUE),
    ],
)
def test_laser_service_every_12_months_warned_30_days(
    last_done_on: date, as_of: date, expected: Status
) -> None:
    due = next_due(last_done_on, months=12)
    assert status_for_due(due, as_of, [30], "recurring") == expected
