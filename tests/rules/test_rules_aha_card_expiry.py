"""AHA BLS/ACLS/PALS cards: valid through the last day of the month two years after issue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from readiness.rules.due import aha_card_expiry, status_for_due
from readiness.rules.status import Status


@pytest.mark.parametrize(
    ("issued_on", "valid_through"),
    [
        (date(2024, 3, 15), date(2026, 3, 31)),  # the example
        (date(2024, 3, 1), date(2026, 3, 31)),
        (date(2024, 3, 31), date(2026, 3, 31)),
        (date(2024, 2, 29), date(2026, 2, 28)),  # leap-day issue, common-year expiry
        (date(2022, 2, 10), date(2024, 2, 29)),  # common-year issue, leap-year expiry
        (date(2022, 2, 28), date(2024, 2, 29)),
        (date(2023, 2, 28), date(2025, 2, 28)),
        (date(2026, 2, 1), date(2028, 2, 29)),
        (date(2098, 2, 1), date(2100, 2, 28)),  # 2100 is not a leap year
        (date(2024, 1, 31), date(2026, 1, 31)),
        (date(2024, 4, 30), date(2026, 4, 30)),
        (date(2024, 12, 1), date(2026, 12, 31)),
        (date(2024, 12, 31), date(2026, 12, 31)),
        (date(2025, 1, 1), date(2027, 1, 31)),
    ],
)
def test_it_runs_to_the_end_of_the_month(issued_on: date, valid_through: date) -> None:
    assert aha_card_expiry(issued_on) == valid_through


@pytest.mark.parametrize(
    ("issued_on", "months", "valid_through"),
    [
        (date(2024, 3, 15), 12, date(2025, 3, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
    ],
)
def test_other_validity_periods_keep_the_month_end_rule(
    issued_on: date, months: int, valid_through: date
) -> None:
    assert aha_card_expiry(issued_on, months) == valid_through


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 12, 31), Status.DUE_SOON),  # 90 days before
        (date(2025, 12, 30), Status.OK),  # 91 days before
        (date(2026, 3, 30), Status.DUE_SOON),
        (date(2026, 3, 31), Status.DUE_SOON),  # valid on its last day: no grace, no early end
        (date(2026, 4, 1), Status.EXPIRED),
    ],
)
def test_a_card_is_valid_through_its_expiry_day(as_of: date, expected: Status) -> None:
    expiry = aha_card_expiry(date(2024, 3, 15))
    assert status_for_due(expiry, as_of, [90, 60, 30], "expiry", valid_through=True) == expected


def test_there_is_no_grace_period() -> None:
    expiry = aha_card_expiry(date(2024, 3, 15))
    assert status_for_due(expiry, expiry + timedelta(days=1), [90], "expiry") == Status.EXPIRED
