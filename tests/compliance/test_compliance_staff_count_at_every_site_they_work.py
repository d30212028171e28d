"""A nurse assigned to a second clinic counts at both on the days of the assignment: the
clinic whose only BLS clinician is the visiting nurse is staffed, and her certificate is
one item, at her home site (practice imported from files)."""

from __future__ import annotations

from datetime import date

import pytest
from compliance_support import items_of, row_of, status_of
from multistate_support import imported

from readiness.db import Database


@pytest.fixture(scope="module")
def multistate(practice_db: Database) -> Database:
    return imported(practice_db)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 1, 4), "missing"),  # the day before the assignment starts
        (date(2026, 1, 5), "ok"),  # its first day
        (date(2026, 3, 31), "ok"),  # its last day
        (date(2026, 4, 1), "missing"),  # the day after it ends
    ],
)
def test_the_visiting_nurse_staffs_the_second_clinic(
    multistate: Database, as_of: date, expected: str
) -> None:
    items = items_of(multistate, as_of=as_of)
    assert status_of(items, "staffing.bls_clinician", "NYC2") == expected
    # ... and counts at home all along.
    assert status_of(items, "staffing.bls_clinician", "NYC1") == "ok"


def test_the_nurse_is_counted_at_both_clinics(multistate: Database) -> None:
    items = items_of(multistate, as_of=date(2026, 3, 9))
    home = row_of(items, "staffing.bls_clinician", "NYC1")
    away = row_of(items, "staffing.bls_clinician", "NYC2")
    assert "(N-1)" in away["detail"] and "N-1" in home["detail"]
    # She is the LSO of both while assigned.
    assert status_of(items, "site.lso_designated", "NYC2") == "ok"
    assert status_of(items, "site.lso_designated", "NYC1") == "ok"


def test_certificates_are_one_item_per_person_at_the_home_site(multistate: Database) -> None:
    items = items_of(multistate, as_of=date(2026, 3, 9))
    cards = items[(items["requirement"] == "cert.bls") & (items["subject"] == "N-1")]
    assert list(cards["site"]) == ["NYC1"]


def test_two_visitors_count_two_until_one_card_lapses(multistate: Database) -> None:
    # In January both N-1 and N-2 (card valid through 31 January) work at NYC2.
    january = row_of(
        items_of(multistate, as_of=date(2026, 1, 31)), "staffing.bls_clinician", "NYC2"
    )
    assert january["detail"].startswith("2 of 2 eligible staff hold a current BLS card (N-1, N-2)")
    february = row_of(
        items_of(multistate, as_of=date(2026, 2, 1)), "staffing.bls_clinician", "NYC2"
    )
    assert february["detail"].startswith("1 of 1 eligible staff hold a current BLS card (N-1)")
