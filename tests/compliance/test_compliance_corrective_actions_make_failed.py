"""An open corrective action makes its requirement `failed` for its subject, whatever the
underlying status; once closed, the underlying status is back. Judged at as_of too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from compliance_support import NOW, Practice, items_of, local, row_of

from readiness.db import Database

TZ = "America/Chicago"
MONDAY = date(2026, 3, 9)
DAYS = [MONDAY - timedelta(days=n) for n in range(7, -1, -1)]
OPENED = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # 09:00 on Monday 9 March in Chicago


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        sites = {code: p.site(code, TZ) for code in ("OPEN", "CLOSED", "TWO", "NULL", "LATE")}
        for site in sites.values():
            for day in DAYS:
                p.run(site, "opening-daily", day, local(day, "08:30", TZ))
        p.action(sites["OPEN"], "oxygen.daily_pressure", "OPEN", OPENED)
        closed_at = OPENED + timedelta(hours=2)
        p.action(sites["CLOSED"], "oxygen.daily_pressure", "CLOSED", OPENED, closed_at=closed_at)
        p.action(sites["TWO"], "kit.seal_daily", "TWO", OPENED, description="Restock the kit")
        p.action(sites["TWO"], "kit.seal_daily", "TWO", OPENED + timedelta(hours=1))
        p.action(sites["NULL"], None, "NULL", OPENED)
        opened_before = OPENED - timedelta(days=4)
        p.action(sites["LATE"], "oxygen.daily_pressure", "LATE", opened_before, closed_at=OPENED)
        lasers = p.site("LASERS", TZ)
        p.asset(lasers, "L-1", "laser")
        p.asset(lasers, "L-2", "laser")
        p.action(lasers, "laser.daily_check", "L-1", OPENED, description="Interlock failed")
        person = p.staff(lasers, "S-1", "aesthetician")
        p.cert(person, "bls", date(2025, 6, 1))
        p.action(lasers, "cert.bls", "S-1", OPENED, description="Card reported lost")
    return practice_db


@pytest.fixture(scope="module")
def items(db: Database) -> pd.DataFrame:
    return items_of(db, now_utc=NOW)


def test_an_open_action_fails_its_requirement(items: pd.DataFrame) -> None:
    row = row_of(items, "oxygen.daily_pressure", "OPEN")
    assert row["status"] == "failed"
    assert row["detail"] == (
        "Failed: Replace the cylinder (corrective action open since 2026-03-09, due 2026-03-09)"
    )
    # Only the requirement the action names: the other opening checks stay as they are.
    assert row_of(items, "aed.daily_check", "OPEN")["status"] == "ok"


def test_a_closed_action_gives_the_status_back(items: pd.DataFrame) -> None:
    assert row_of(items, "oxygen.daily_pressure", "CLOSED")["status"] == "ok"
    assert row_of(items, "oxygen.daily_pressure", "LATE")["status"] == "ok"


def test_more_open_actions_are_counted(items: pd.DataFrame) -> None:
    row = row_of(items, "kit.seal_daily", "TWO")
    assert row["status"] == "failed"
    assert row["detail"].startswith("Failed: Restock the kit (")
    assert row["detail"].endswith("; 1 more open)")


def test_an_action_without_a_requirement_fails_nothing(items: pd.DataFrame) -> None:
    assert row_of(items, "oxygen.daily_pressure", "NULL")["status"] == "ok"


def test_only_the_named_subject_fails(items: pd.DataFrame) -> None:
    assert row_of(items, "laser.daily_check", "L-1")["status"] == "failed"
    assert row_of(items, "laser.daily_check", "L-2")["status"] != "failed"


def test_any_requirement_can_fail(items: pd.DataFrame) -> None:
    row = row_of(items, "cert.bls", "S-1")
    assert (row["status"], row["due_on"]) == ("failed", date(2027, 6, 30))


@pytest.mark.parametrize(
    ("as_of", "site", "status"),
    [
        # Opened on 9 March: on 8 March the requirement was ok.
        (date(2026, 3, 8), "OPEN", "ok"),
        (date(2026, 3, 9), "OPEN", "failed"),
        # Closed on 9 March: at the close of 9 March it was closed.
        (date(2026, 3, 9), "CLOSED", "ok"),
        # Open from 5 to 9 March: failed as of 8 March, ok today.
        (date(2026, 3, 8), "LATE", "failed"),
        (date(2026, 3, 4), "LATE", "ok"),
    ],
)
def test_actions_are_read_at_as_of(db: Database, as_of: date, site: str, status: str) -> None:
    items = items_of(db, now_utc=NOW, as_of=as_of)
    assert row_of(items, "oxygen.daily_pressure", site)["status"] == status
