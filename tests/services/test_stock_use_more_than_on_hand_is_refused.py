"""Stock movements are validated before anything is written: no more units used or disposed
than the lot has on hand that day (or than later movements leave), a positive quantity, a
lot that exists at that site; a refusal writes nothing, not even an audit event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from readiness.access import AccessDenied, Principal
from readiness.audit import records
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, Site, StockLot, StockMovement
from readiness.services.stock import StockEntry, record_stock, record_stock_as, units_on_hand

NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
DAY = date(2026, 3, 9)


@pytest.fixture
def stocked(db: Database) -> Database:
    with db.write() as session:
        site = records.create(
            session, Site(code="AUS1", name="Austin", timezone="America/Chicago"), actor="t"
        )
        records.create(
            session, Site(code="PHX1", name="Phoenix", timezone="America/Phoenix"), actor="t"
        )
        session.flush()
        lot = StockLot(
            site_id=site.id,
            item="epinephrine_adult",
            lot_number="EPA-1",
            expires_on=date(2027, 1, 31),
            quantity=2,
            received_on=date(2026, 1, 5),
        )
        records.create(session, lot, actor="t")
    return db


def record(
    db: Database,
    kind: str,
    units: int,
    *,
    site: str = "AUS1",
    lot: str = "EPA-1",
    on: date | None = DAY,
) -> str:
    with db.write() as session:
        return record_stock(
            session, StockEntry(kind, site, lot, units, on), actor="t", now_utc=NOW
        ).describe()


def counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        moves = session.scalar(select(func.count()).select_from(StockMovement))
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    return int(moves or 0), int(events or 0)


@pytest.mark.parametrize(
    ("kind", "units", "where", "message"),
    [
        (
            "used",
            3,
            {},
            "cannot record 3 used: lot EPA-1 of epinephrine_adult has 2 units on hand"
            " on 2026-03-09",
        ),
        ("disposed", 0, {}, "quantity must be a whole number of units above 0, not 0"),
        ("used", -1, {}, "quantity must be a whole number of units above 0, not -1"),
        ("used", 1, {"site": "PHX1"}, "no lot 'EPA-1' at PHX1"),
        ("used", 1, {"lot": "EPA-9"}, "no lot 'EPA-9' at AUS1"),
        (
            "used",
            1,
            {"on": date(2026, 1, 4)},
            "lot EPA-1 was received on 2026-01-05, after 2026-01-04",
        ),
        ("used", 1, {"on": date(2026, 3, 10)}, "2026-03-10 is in the future at AUS1"),
    ],
)
def test_a_refusal_says_why_and_writes_nothing(
    stocked: Database, kind: str, units: int, where: dict, message: str
) -> None:
    before = counts(stocked)
    with pytest.raises(UserError) as refused:
        record(stocked, kind, units, **where)
    assert str(refused.value) == message
    assert counts(stocked) == before


def test_all_on_hand_may_go_and_then_no_more(stocked: Database) -> None:
    assert record(stocked, "used", 2).endswith("; 0 on hand that day")
    with pytest.raises(UserError, match="has 0 units on hand on 2026-03-09"):
        record(stocked, "disposed", 1)


def test_a_backdated_use_may_not_take_what_later_movements_took(stocked: Database) -> None:
    record(stocked, "used", 2, on=DAY)
    with pytest.raises(UserError, match="has 0 units on hand by 2026-03-09"):
        record(stocked, "disposed", 1, on=date(2026, 2, 1))
    record(stocked, "received", 1, on=date(2026, 2, 1))
    with stocked.read() as session:
        lot = session.scalars(select(StockLot)).one()
        assert [
            units_on_hand(session, lot, d) for d in (date(2026, 1, 31), date(2026, 2, 1), DAY)
        ] == [2, 3, 1]


def test_a_role_without_the_right_or_another_site_is_refused(stocked: Database) -> None:
    entry = StockEntry("used", "AUS1", "EPA-1", 1, DAY)
    with (
        stocked.write() as session,
        pytest.raises(AccessDenied, match="inspector role may not record stock"),
    ):
        record_stock_as(session, Principal("ines", "inspector"), entry, now_utc=NOW)
    with stocked.write() as session, pytest.raises(AccessDenied, match="may not act on site AUS1"):
        record_stock_as(session, Principal("olga", "officer", ("PHX1",)), entry, now_utc=NOW)
    with stocked.write() as session:
        done = record_stock_as(session, Principal("olga", "officer"), entry, now_utc=NOW)
        assert done.movement.recorded_by == "user:olga"
