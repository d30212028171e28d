"""Certificate expiry from its issue date, to the end of the month or to the day."""

from __future__ import annotations

from datetime import date

import pytest

from readiness.policy.pack import CertificateType
from readiness.rules.due import certificate_expiry


@pytest.mark.parametrize(
    ("issued_on", "months", "end_of_month", "expected"),
    [
        (date(2024, 3, 15), 24, True, date(2026, 3, 31)),
        (date(2024, 3, 15), 24, False, date(2026, 3, 15)),
        (date(2024, 2, 29), 24, False, date(2026, 2, 28)),
        (date(2024, 2, 29), 36, False, date(2027, 2, 28)),
        (date(2024, 2, 29), 48, False, date(2028, 2, 29)),
        (date(2023, 8, 31), 6, False, date(2024, 2, 29)),
        (date(2023, 8, 31), 6, True, date(2024, 2, 29)),
        (date(2023, 8, 1), 6, True, date(2024, 2, 29)),
        (date(2025, 1, 31), 36, False, date(2028, 1, 31)),
    ],
)
def test_it_follows_the_type_rule(
    issued_on: date, months: int, end_of_month: bool, expected: date
) -> None:
    assert certificate_expiry(issued_on, months, end_of_month=end_of_month) == expected


def certificate_type(months: int | None, end_of_month: bool) -> CertificateType:
    return CertificateType(
        title="t",
        validity_months=months,
        end_of_month=end_of_month,
        source=[{"label": "PRAC", "text": "x"}],
    )


def test_the_policy_derives_a_missing_expiry() -> None:
    assert certificate_type(24, True).expiry_for(date(2024, 3, 15)) == date(2026, 3, 31)
    assert certificate_type(36, False).expiry_for(date(2024, 3, 15)) == date(2027, 3, 15)


def test_a_type_without_validity_derives_nothing() -> None:
    assert certificate_type(None, False).expiry_for(date(2024, 3, 15)) is None
