"""Stock by site: only in-date lots count (epinephrine is expired on its printed date),
due soon when expiring lots will take the site below its minimum within 60 days,
lots received after as_of do not count, pediatric stock only where children are treated."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from compliance_support import AS_OF, Practice, items_of, row_of

from readiness.db import Database

D = timedelta(days=1)
FAR = AS_OF + 200 * D
ADULT = "epinephrine_adult"
# site code -> lots of adult epinephrine as (expires_on, quantity, received_on)
LOTS: dict[str, list[tuple[date, int, date | None]]] = {
    "FULL": [(FAR, 2, None)],
    "OLDLOT": [(AS_OF - D, 2, None), (FAR, 1, None)],
    "TODAY": [(AS_OF, 2, None)],
    "EDGE60": [(AS_OF + 60 * D, 2, None)],
    "EDGE61": [(AS_OF + 61 * D, 2, None)],
    "SPARE": [(AS_OF + 10 * D, 1, None), (FAR, 2, None)],
    "CASCADE": [(AS_OF + 10 * D, 1, None), (FAR, 1, None)],
    "LATE": [(FAR, 2, AS_OF + D)],
    "ONTIME": [(FAR, 2, AS_OF)],
    "EMPTY": [(FAR, 0, None)],
    "NONE": [],
}


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        for code, lots in LOTS.items():
            site = p.site(code)
            for expires_on, quantity, received_on in lots:
                p.lot(site, ADULT, expires_on, quantity, received_on=received_on)
            # Other items never count towards adult epinephrine.
            p.lot(site, "aed_pads", FAR, 5)
            p.lot(site, "epinephrine_pediatric", FAR, 5)
        kids = p.site("KIDS", treats_children=True)
        p.lot(kids, ADULT, FAR, 2)
    return items_of(practice_db, as_of=AS_OF)


@pytest.mark.parametrize(
    ("code", "status", "due_on"),
    [
        ("FULL", "ok", FAR),
        ("OLDLOT", "missing", None),
        ("TODAY", "missing", None),
        ("EDGE60", "due_soon", AS_OF + 60 * D),
        ("EDGE61", "ok", AS_OF + 61 * D),
        ("SPARE", "ok", FAR),
        ("CASCADE", "due_soon", AS_OF + 10 * D),
        ("LATE", "missing", None),
        ("ONTIME", "ok", FAR),
        ("EMPTY", "missing", None),
        ("NONE", "missing", None),
    ],
)
def test_adult_epinephrine(items: pd.DataFrame, code: str, status: str, due_on: date) -> None:
    row = row_of(items, "stock.epinephrine_adult", code)
    assert (row["status"], row["due_on"]) == (status, due_on)


def test_the_detail_counts_in_date_units(items: pd.DataFrame) -> None:
    assert row_of(items, "stock.epinephrine_adult", "OLDLOT")["detail"] == (
        "1 in-date adult epinephrine auto-injectors; minimum 2; next lot expires 2026-09-25"
    )
    assert row_of(items, "stock.epinephrine_adult", "CASCADE")["detail"] == (
        "2 in-date adult epinephrine auto-injectors; minimum 2; next lot expires 2026-03-19;"
        " below the minimum from 2026-03-19 (in 10 days)"
    )


def test_pediatric_stock_only_where_children_are_treated(items: pd.DataFrame) -> None:
    assert row_of(items, "stock.epinephrine_pediatric", "FULL")["status"] == "not_applicable"
    assert row_of(items, "stock.epinephrine_pediatric", "KIDS")["status"] == "missing"
