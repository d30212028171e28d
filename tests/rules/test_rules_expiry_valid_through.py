"""Expiring things: cards are valid through the date; pads, batteries and epinephrine are not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from readiness.rules.due import DueKind, status_for_due
from readiness.rules.status import Status

EXPIRES = date(2026, 6, 30)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("as_of", "valid_through", "expected"),
    [
        (EXPIRES - 61 * DAY, False, Status.OK),
        (EXPIRES - 60 * DAY, False, Status.DUE_SOON),
        (EXPIRES - DAY, False, Status.DUE_SOON),  # the last day the pads may be relied on
        (EXPIRES, False, Status.EXPIRED),  # replace before, not on, the date
        (EXPIRES + DAY, False, Status.EXPIRED),
        (EXPIRES - 61 * DAY, True, Status.OK),
        (EXPIRES - 60 * DAY, True, Status.DUE_SOON),
        (EXPIRES - DAY, True, Status.DUE_SOON),
        (EXPIRES, True, Status.DUE_SOON),  # valid through the date
        (EXPIRES + DAY, True, Status.EXPIRED),
    ],
)
def test_the_expiry_day_reads_as_declared(
    as_of: date, valid_through: bool, expected: Status
) -> None:
    assert status_for_due(EXPIRES, as_of, [60], "expiry", valid_through=valid_through) == expected


@pytest.mark.parametrize("valid_through", [True, False])
def test_no_date_on_file_is_missing(valid_through: bool) -> None:
    assert status_for_due(None, EXPIRES, [60], "expiry", valid_through=valid_through) == (
        Status.MISSING
    )


@pytest.mark.parametrize(
    ("as_of", "kind", "expected"),
    [
        (EXPIRES + DAY, "expiry", Status.EXPIRED),
        (EXPIRES + DAY, "recurring", Status.OVERDUE),
    ],
)
def test_a_lapsed_date_is_expired_or_overdue_by_kind(
    as_of: date, kind: DueKind, expected: Status
) -> None:
    assert status_for_due(EXPIRES, as_of, [60], kind, valid_through=True) == expected


def test_without_a_warning_window_only_the_expiry_day_is_flagged() -> None:
    assert status_for_due(EXPIRES, EXPIRES - DAY, [], "expiry", valid_through=False) == Status.OK
    assert status_for_due(EXPIRES, EXPIRES - DAY, [], "expiry", valid_through=True) == Status.OK
    assert status_for_due(EXPIRES, EXPIRES, [], "expiry", valid_through=True) == Status.DUE_SOON
