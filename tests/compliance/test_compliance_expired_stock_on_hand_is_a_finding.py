"""Expired units still on hand are an `expired` item whatever the in-date count; disposing
of them clears it from the day of the disposal on (and not the day before); units on hand
on a day are the lot's count plus received, less used and disposed, on or before it."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from compliance_support import AS_OF, NOW, POLICY, Practice, items_of, row_of
from sqlalchemy.orm import Session

from readiness.compliance import scenario_readiness
from readiness.db import Database
from readiness.models import Site, StockLot
from readiness.services.stock import StockEntry, record_stock

D = timedelta(days=1)
FAR = AS_OF + 200 * D
ADULT = "epinephrine_adult"
EXPIRED = "stock.expired_epinephrine_adult"
DISPOSED_ON = AS_OF - 3 * D


def lot(
    p: Practice, site: Site, number: str, expires_on: date, units: int, item: str = ADULT
) -> None:
    p.add(
        StockLot(
            site_id=site.id, item=item, lot_number=number, expires_on=expires_on, quantity=units
        )
    )


def dispose(session: Session, code: str, lot_number: str, units: int, on: date) -> None:
    entry = StockEntry("disposed", code, lot_number, units, on, reason="expired")
    record_stock(session, entry, actor="test", now_utc=NOW)


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        # Two in date and two expired: the minimum is met, the expired pair is a finding.
        both = p.site("BOTH")
        p.lot(both, ADULT, FAR, 2)
        lot(p, both, "EPA-2411", date(2025, 11, 30), 2)
        lot(p, both, "EPA-2501", date(2026, 1, 31), 1)
        # The same, disposed of three days before as_of.
        gone = p.site("GONE")
        p.lot(gone, ADULT, FAR, 2)
        lot(p, gone, "EPA-GONE", AS_OF - 10 * D, 2)
        # One of two expired units disposed: one is still on hand.
        half = p.site("HALF")
        p.lot(half, ADULT, FAR, 2)
        lot(p, half, "EPA-HALF", AS_OF - 10 * D, 2)
        # Replace-before: a lot is expired on its printed date, not the day before.
        today = p.site("TODAY")
        p.lot(today, ADULT, FAR, 2)
        p.lot(today, ADULT, AS_OF, 1)
        fine = p.site("FINE")
        p.lot(fine, ADULT, FAR, 2)
        p.lot(fine, ADULT, AS_OF + D, 1)
        # An expired lot counted at zero is not on hand.
        empty = p.site("EMPTY")
        p.lot(empty, ADULT, FAR, 2)
        p.lot(empty, ADULT, AS_OF - 30 * D, 0)
        # Expired pediatric pens at a site that does not treat children are still a finding.
        kids = p.site("PEDS")
        p.lot(kids, ADULT, FAR, 2)
        lot(p, kids, "EPP-1", AS_OF - D, 1, item="epinephrine_pediatric")
        dispose(session, "GONE", "EPA-GONE", 2, DISPOSED_ON)
        dispose(session, "HALF", "EPA-HALF", 1, DISPOSED_ON)
    return practice_db


@pytest.fixture(scope="module")
def items(db: Database) -> pd.DataFrame:
    return items_of(db, as_of=AS_OF)


def test_expired_units_beside_enough_in_date_ones_are_expired(items: pd.DataFrame) -> None:
    assert row_of(items, "stock.epinephrine_adult", "BOTH")["status"] == "ok"
    row = row_of(items, EXPIRED, "BOTH")
    assert (row["status"], row["due_on"]) == ("expired", date(2025, 11, 30))
    assert row["detail"] == (
        "Remove 2 units of lot EPA-2411, expired 2025-11-30;"
        " Remove 1 unit of lot EPA-2501, expired 2026-01-31"
    )
    assert row["category"] == "stock" and row["subject_type"] == "site"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("GONE", "ok"),
        ("HALF", "expired"),
        ("TODAY", "expired"),
        ("FINE", "ok"),
        ("EMPTY", "ok"),
    ],
)
def test_what_is_still_on_hand_decides(items: pd.DataFrame, code: str, status: str) -> None:
    assert row_of(items, EXPIRED, code)["status"] == status


def test_an_ok_item_names_the_next_lot_to_expire(items: pd.DataFrame) -> None:
    row = row_of(items, EXPIRED, "FINE")
    assert row["due_on"] == AS_OF + D
    assert row["detail"] == (
        "No expired adult epinephrine auto-injectors on hand; next lot on hand expires 2026-03-10"
    )
    assert row_of(items, EXPIRED, "HALF")["detail"].startswith("Remove 1 unit of lot EPA-HALF")


def test_expired_pediatric_pens_count_where_children_are_not_treated(items: pd.DataFrame) -> None:
    assert row_of(items, "stock.epinephrine_pediatric", "PEDS")["status"] == "not_applicable"
    assert row_of(items, "stock.expired_epinephrine_pediatric", "PEDS")["status"] == "expired"


@pytest.mark.parametrize(
    ("as_of", "gone", "half"),
    [
        (DISPOSED_ON - D, "expired", "expired"),  # the day before: still on the shelf
        (DISPOSED_ON, "ok", "expired"),  # from the day of the disposal on
        (AS_OF + 30 * D, "ok", "expired"),
    ],
)
def test_a_disposal_counts_from_its_day_on(db: Database, as_of: date, gone: str, half: str) -> None:
    items = items_of(db, as_of=as_of, sites=["GONE", "HALF"])
    assert row_of(items, EXPIRED, "GONE")["status"] == gone
    assert row_of(items, EXPIRED, "HALF")["status"] == half


def test_the_expired_item_blocks_anaphylaxis(db: Database) -> None:
    items = items_of(db, as_of=AS_OF, sites=["BOTH", "GONE"])
    ready = scenario_readiness(items, POLICY).set_index(["site", "scenario"])
    blocking = {b["requirement"] for b in ready.loc[("BOTH", "anaphylaxis"), "blocking"]}
    assert EXPIRED in blocking
    blocking = {b["requirement"] for b in ready.loc[("GONE", "anaphylaxis"), "blocking"]}
    assert EXPIRED not in blocking
