"""Warning tiers: a date 90/60/30 days out falls in the narrowest tier that holds it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from readiness.rules.due import (
    DueKind,
    days_until,
    status_for_due,
    warning_tier,
    warning_window,
)
from readiness.rules.status import Status

AS_OF = date(2026, 3, 9)
CERTIFICATE = [90, 60, 30]


def in_days(n: int) -> date:
    return AS_OF + timedelta(days=n)


@pytest.mark.parametrize(
    ("days_left", "tier"),
    [
        (365, None),
        (91, None),
        (90, 90),
        (89, 90),
        (61, 90),
        (60, 60),
        (59, 60),
        (31, 60),
        (30, 30),
        (29, 30),
        (1, 30),
        (0, 30),  # the due day itself
        (-1, None),  # past: overdue or expired, no longer a warning
        (-90, None),
    ],
)
def test_certificate_tiers_at_their_edges(days_left: int, tier: int | None) -> None:
    assert warning_tier(in_days(days_left), AS_OF, CERTIFICATE) == tier


@pytest.mark.parametrize(
    ("days_left", "tier"), [(61, None), (60, 60), (59, 60), (0, 60), (-1, None)]
)
def test_a_single_tier(days_left: int, tier: int | None) -> None:
    assert warning_tier(in_days(days_left), AS_OF, [60]) == tier


@pytest.mark.parametrize(("days_left", "tier"), [(45, 60), (60, 60), (30, 30), (91, None)])
def test_tier_order_in_the_file_does_not_matter(days_left: int, tier: int | None) -> None:
    assert warning_tier(in_days(days_left), AS_OF, [30, 90, 60]) == tier


def test_default_tiers_are_the_certificate_tiers() -> None:
    assert warning_tier(in_days(75), AS_OF) == 90


def test_no_date_has_no_tier() -> None:
    assert warning_tier(None, AS_OF, CERTIFICATE) is None


def test_no_tiers_means_no_tier() -> None:
    assert warning_tier(in_days(5), AS_OF, []) is None


@pytest.mark.parametrize(("days_left", "expected"), [(10, 10), (0, 0), (-3, -3)])
def test_days_until_counts_whole_days(days_left: int, expected: int) -> None:
    assert days_until(in_days(days_left), AS_OF) == expected


@pytest.mark.parametrize(
    ("warn_days", "window"), [([90, 60, 30], 90), ([30, 90], 90), ([60], 60), ([], 0), (14, 14)]
)
def test_the_window_is_the_widest_tier(warn_days: list[int] | int, window: int) -> None:
    assert warning_window(warn_days) == window


@pytest.mark.parametrize(
    ("days_left", "warn_days", "expected"),
    [
        (91, CERTIFICATE, Status.OK),
        (90, CERTIFICATE, Status.DUE_SOON),
        (89, CERTIFICATE, Status.DUE_SOON),
        (61, [60], Status.OK),
        (60, [60], Status.DUE_SOON),
        (59, [60], Status.DUE_SOON),
        (31, [30], Status.OK),
        (30, [30], Status.DUE_SOON),
        (29, [30], Status.DUE_SOON),
    ],
)
@pytest.mark.parametrize("kind", ["recurring", "expiry"])
def test_status_turns_due_soon_at_the_widest_tier(
    days_left: int, warn_days: list[int], expected: Status, kind: DueKind
) -> None:
    status = status_for_due(in_days(days_left), AS_OF, warn_days, kind)
    assert status == expected
