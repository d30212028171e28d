"""By default each site is judged on its own local date: late in the evening in Chicago
it is already tomorrow in UTC (and in New York), and as_of may also differ per site."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from compliance_support import Practice, items_of, row_of

from readiness.db import Database

ZONES = {"CHI": "America/Chicago", "NYC": "America/New_York", "PHX": "America/Phoenix"}
# 23:30 on 9 March in Chicago; 00:30 on 10 March in New York; 21:30 on 9 March in Phoenix.
NOW = datetime(2026, 3, 10, 4, 30, tzinfo=UTC)
EXPIRES = date(2026, 3, 9)


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        for code, tz in ZONES.items():
            site = p.site(code, tz)
            # Valid through 9 March: still valid on the 9th, expired on the 10th.
            p.cert(p.staff(site, f"S-{code}", "aesthetician"), "bls", date(2024, 3, 1), EXPIRES)
    return practice_db


@pytest.fixture(scope="module")
def items(db: Database) -> pd.DataFrame:
    return items_of(db, now_utc=NOW)


@pytest.mark.parametrize(
    ("site", "status", "detail"),
    [
        ("CHI", "due_soon", "BLS expires 2026-03-09 (today)"),
        ("NYC", "expired", "BLS expired 2026-03-09 (1 day ago)"),
        ("PHX", "due_soon", "BLS expires 2026-03-09 (today)"),
    ],
)
def test_as_of_defaults_to_the_site_local_date(
    items: pd.DataFrame, site: str, status: str, detail: str
) -> None:
    row = row_of(items, "cert.bls", f"S-{site}")
    assert (row["status"], row["detail"]) == (status, detail)


def test_as_of_may_be_given_per_site(db: Database) -> None:
    items = items_of(db, now_utc=NOW, as_of={"CHI": date(2026, 3, 10), "NYC": date(2026, 3, 1)})
    assert row_of(items, "cert.bls", "S-CHI")["status"] == "expired"
    assert row_of(items, "cert.bls", "S-NYC")["status"] == "due_soon"
    # A site the mapping leaves out is judged on its own today.
    assert row_of(items, "cert.bls", "S-PHX")["status"] == "due_soon"


def test_one_date_for_every_site(db: Database) -> None:
    items = items_of(db, now_utc=NOW, as_of=date(2026, 3, 10))
    assert set(items[items["requirement"] == "cert.bls"]["status"]) == {"expired"}
