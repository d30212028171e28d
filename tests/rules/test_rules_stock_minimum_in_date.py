"""Stock: only in-date units count toward the minimum; due_on is when the count drops below it."""

from __future__ import annotations

from datetime import date

import pytest

from readiness.rules.due import status_for_due, stock_due_on
from readiness.rules.status import Status

AS_OF = date(2026, 3, 9)
Lots = list[tuple[date, int]]


@pytest.mark.parametrize(
    ("lots", "minimum", "valid_through", "expected"),
    [
        ([], 2, False, None),
        ([(date(2026, 9, 1), 2)], 2, False, date(2026, 9, 1)),
        ([(date(2026, 9, 1), 1)], 2, False, None),  # one unit is below the minimum
        ([(date(2026, 9, 1), 1), (date(2026, 12, 1), 1)], 2, False, date(2026, 9, 1)),
        ([(date(2026, 9, 1), 1), (date(2026, 12, 1), 3)], 2, False, date(2026, 12, 1)),
        ([(date(2026, 12, 1), 1), (date(2026, 9, 1), 5)], 2, False, date(2026, 9, 1)),
        ([(date(2026, 3, 1), 5), (date(2026, 9, 1), 1)], 2, False, None),  # expired lot ignored
        ([(AS_OF, 5)], 2, False, None),  # expired on its date
        ([(AS_OF, 5)], 2, True, AS_OF),  # unless valid through it
        ([(date(2026, 9, 1), 0), (date(2026, 10, 1), 2)], 2, False, date(2026, 10, 1)),
        ([(date(2026, 9, 1), 1), (date(2026, 10, 1), 1)], 1, False, date(2026, 10, 1)),
        ([(date(2026, 9, 1), 2), (date(2026, 9, 1), 2)], 4, False, date(2026, 9, 1)),
    ],
)
def test_it_counts_only_in_date_units(
    lots: Lots, minimum: int, valid_through: bool, expected: date | None
) -> None:
    assert stock_due_on(lots, AS_OF, minimum, valid_through=valid_through) == expected


@pytest.mark.parametrize(
    ("lots", "expected"),
    [
        ([], Status.MISSING),
        ([(date(2026, 3, 20), 1)], Status.MISSING),
        ([(date(2026, 3, 20), 2)], Status.DUE_SOON),
        ([(date(2026, 5, 8), 2)], Status.DUE_SOON),  # 60 days out
        ([(date(2026, 5, 9), 2)], Status.OK),  # 61 days out
        ([(date(2026, 3, 20), 1), (date(2027, 1, 1), 2)], Status.OK),
        ([(AS_OF, 2)], Status.MISSING),  # expired today: below minimum, not "expired stock"
    ],
)
def test_status_of_adult_epinephrine(lots: Lots, expected: Status) -> None:
    due = stock_due_on(lots, AS_OF, 2, valid_through=False)
    assert status_for_due(due, AS_OF, [60], "expiry", valid_through=False) == expected


@pytest.mark.parametrize(
    ("card_expiries", "expected"),
    [
        ([], Status.MISSING),
        ([date(2026, 3, 8)], Status.MISSING),
        ([date(2026, 3, 9)], Status.DUE_SOON),  # a card is valid through its date
        ([date(2026, 3, 31), date(2027, 1, 31)], Status.OK),  # the later card keeps the site
    ],
)
def test_a_designation_counts_people_like_stock(
    card_expiries: list[date], expected: Status
) -> None:
    # site.lso_designated: each current LSO counts one, until their card expires.
    due = stock_due_on([(d, 1) for d in card_expiries], AS_OF, 1, valid_through=True)
    assert status_for_due(due, AS_OF, [30], "expiry", valid_through=True) == expected
