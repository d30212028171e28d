"""Certificates by boundary: the day before expiry, the day itself, the day after, the
90/60/30-day tiers, the AHA end-of-month rule (leap and common February), derived expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from compliance_support import ACTOR, AS_OF, Practice, items_of, row_of

from readiness.audit import records
from readiness.db import Database

D = timedelta(days=1)
# staff id -> explicit expiry date of their BLS card (AS_OF = 2026-03-09; cards are
# valid through their printed date, and the widest warning tier is 90 days).
EXPLICIT = {
    "S-EXP-1": AS_OF - D,
    "S-EXP0": AS_OF,
    "S-EXP+1": AS_OF + D,
    "S-T30": AS_OF + 30 * D,
    "S-T31": AS_OF + 31 * D,
    "S-T60": AS_OF + 60 * D,
    "S-T90": AS_OF + 90 * D,
    "S-T91": AS_OF + 91 * D,
}
# staff id -> issue date of a BLS card imported without an expiry date.
DERIVED = {
    "S-LEAP": date(2024, 2, 29),  # two years on, February has 28 days: 2026-02-28
    "S-TOLEAP": date(2022, 2, 15),  # valid through 2024-02-29
    "S-MARCH": date(2024, 3, 15),  # the example: valid through 2026-03-31
    "S-JAN": date(2024, 1, 31),  # 2026-01-31
}


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        site = p.site("AUS1")
        for staff_id, expires in EXPLICIT.items():
            p.cert(p.staff(site, staff_id, "aesthetician"), "bls", date(2024, 1, 1), expires)
        for staff_id, issued in DERIVED.items():
            p.cert(p.staff(site, staff_id, "aesthetician"), "bls", issued)
        p.staff(site, "S-NONE", "aesthetician")
        p.cert(p.staff(site, "S-GONE", "aesthetician", active=False), "bls", date(2020, 1, 1))
        p.cert(p.staff(site, "S-DESK", "front_desk"), "bls", date(2020, 1, 1))
        renewed = p.staff(site, "S-RENEWED", "aesthetician")
        p.cert(renewed, "bls", date(2022, 1, 10))
        p.cert(renewed, "bls", date(2025, 12, 1))
        voided = p.staff(site, "S-VOIDED", "aesthetician")
        records.void(session, p.cert(voided, "bls", date(2025, 6, 1)), actor=ACTOR, reason="typo")
        amended = p.staff(site, "S-AMENDED", "aesthetician")
        card = p.cert(amended, "bls", date(2025, 6, 1), date(2027, 6, 30))
        records.amend(
            session, card, {"expires_on": date(2026, 3, 1)}, actor=ACTOR, reason="misread"
        )
        lso = p.staff(site, "S-LSO", "aesthetician", is_lso=True)
        p.cert(lso, "lso", date(2023, 3, 9))  # 36 months to the day: 2026-03-09
    return practice_db


@pytest.fixture(scope="module")
def items(db: Database) -> pd.DataFrame:
    return items_of(db, as_of=AS_OF)


@pytest.mark.parametrize(
    ("staff_id", "status"),
    [
        ("S-EXP-1", "expired"),
        ("S-EXP0", "due_soon"),
        ("S-EXP+1", "due_soon"),
        ("S-T30", "due_soon"),
        ("S-T31", "due_soon"),
        ("S-T60", "due_soon"),
        ("S-T90", "due_soon"),
        ("S-T91", "ok"),
    ],
)
def test_it_reads_a_printed_expiry_as_valid_through(
    items: pd.DataFrame, staff_id: str, status: str
) -> None:
    row = row_of(items, "cert.bls", staff_id)
    assert (row["status"], row["due_on"]) == (status, EXPLICIT[staff_id])


@pytest.mark.parametrize(
    ("staff_id", "expires", "status"),
    [
        ("S-LEAP", date(2026, 2, 28), "expired"),
        ("S-TOLEAP", date(2024, 2, 29), "expired"),
        ("S-MARCH", date(2026, 3, 31), "due_soon"),
        ("S-JAN", date(2026, 1, 31), "expired"),
    ],
)
def test_it_derives_a_missing_expiry_by_the_aha_rule(
    items: pd.DataFrame, staff_id: str, expires: date, status: str
) -> None:
    row = row_of(items, "cert.bls", staff_id)
    assert (row["status"], row["due_on"], row["last_done_on"]) == (
        status,
        expires,
        DERIVED[staff_id],
    )
    assert "derived from issue date" in row["detail"]


# The same imported cards judged on days around their month-end expiry, one site per
# day: (issue date of a card without expiry, as_of, status).
MONTH_ENDS = [
    (date(2024, 2, 29), date(2026, 2, 27), "due_soon"),
    (date(2024, 2, 29), date(2026, 2, 28), "due_soon"),
    (date(2024, 2, 29), date(2026, 3, 1), "expired"),
    (date(2022, 2, 15), date(2024, 2, 28), "due_soon"),
    (date(2022, 2, 15), date(2024, 2, 29), "due_soon"),
    (date(2022, 2, 15), date(2024, 3, 1), "expired"),
    (date(2024, 3, 15), date(2025, 12, 30), "ok"),
    (date(2024, 3, 15), date(2025, 12, 31), "due_soon"),
    (date(2024, 3, 15), date(2026, 3, 31), "due_soon"),
    (date(2024, 3, 15), date(2026, 4, 1), "expired"),
]


@pytest.fixture(scope="module")
def month_ends(db: Database) -> pd.DataFrame:
    with db.write() as session:
        p = Practice(session)
        for n, (issued, _, _) in enumerate(MONTH_ENDS):
            p.cert(p.staff(p.site(f"M{n}"), f"S-M{n}", "aesthetician"), "bls", issued)
    days = {f"M{n}": as_of for n, (_, as_of, _) in enumerate(MONTH_ENDS)}
    return items_of(db, as_of=days, sites=sorted(days))


@pytest.mark.parametrize(("n", "case"), list(enumerate(MONTH_ENDS)), ids=str)
def test_the_month_end_boundary_moves_with_as_of(
    month_ends: pd.DataFrame, n: int, case: tuple[date, date, str]
) -> None:
    assert row_of(month_ends, "cert.bls", f"S-M{n}")["status"] == case[2]


def test_the_detail_says_when_and_how_many_days(items: pd.DataFrame) -> None:
    assert row_of(items, "cert.bls", "S-T30")["detail"] == "BLS expires 2026-04-08 (in 30 days)"
    assert row_of(items, "cert.bls", "S-EXP-1")["detail"] == "BLS expired 2026-03-08 (1 day ago)"
    assert row_of(items, "cert.bls", "S-NONE")["detail"] == "No BLS card on file"


def test_no_card_is_missing(items: pd.DataFrame) -> None:
    row = row_of(items, "cert.bls", "S-NONE")
    assert (row["status"], row["due_on"], row["last_done_on"]) == ("missing", None, None)


def test_inactive_staff_are_not_applicable_never_expired(items: pd.DataFrame) -> None:
    assert row_of(items, "cert.bls", "S-GONE")["status"] == "not_applicable"


def test_roles_the_policy_does_not_list_owe_nothing(items: pd.DataFrame) -> None:
    # No certificate; the emergency plan is acknowledged by everyone, front desk included.
    desk = items[items["subject"] == "S-DESK"]
    assert list(desk["requirement"]) == ["plan.acknowledged"]
    # Aestheticians need BLS but not ACLS in the default policy.
    assert items[(items["requirement"] == "cert.acls")].empty


def test_the_latest_card_counts(items: pd.DataFrame) -> None:
    row = row_of(items, "cert.bls", "S-RENEWED")
    assert (row["status"], row["due_on"]) == ("ok", date(2027, 12, 31))


def test_voided_and_superseded_cards_do_not_count(items: pd.DataFrame) -> None:
    assert row_of(items, "cert.bls", "S-VOIDED")["status"] == "missing"
    amended = row_of(items, "cert.bls", "S-AMENDED")
    assert (amended["status"], amended["due_on"]) == ("expired", date(2026, 3, 1))


def test_a_staff_flag_selects_who_needs_the_card(items: pd.DataFrame) -> None:
    lso = items[items["requirement"] == "cert.lso"]
    assert list(lso["subject"]) == ["S-LSO"]
    # LSO training: 36 months to the day, valid through it.
    row = row_of(items, "cert.lso", "S-LSO")
    assert (row["status"], row["due_on"]) == ("due_soon", date(2026, 3, 9))


def test_a_card_issued_after_as_of_does_not_count(db: Database) -> None:
    before = items_of(db, as_of=date(2025, 11, 30))
    row = row_of(before, "cert.bls", "S-RENEWED")
    assert (row["status"], row["due_on"]) == ("expired", date(2024, 1, 31))
