"""Days out of compliance of the stock requirements follow the lots' movements as the engine
does, day by day: expired units on hand until the day they are disposed of, and the in-date
count after units are used or received."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.db import Database
from readiness.export.build import Rules, context, snapshot
from readiness.export.context import ExportRequest
from readiness.models import Site, StockLot
from readiness.rules.status import BLOCKING
from readiness.services.stock import StockEntry, record_stock

START, END = date(2026, 2, 1), date(2026, 3, 8)
NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
CODES = ["AUS1", "PHX1"]
STOCK = ("stock.epinephrine_adult", "stock.expired_epinephrine_adult")


def move(session: Session, kind: str, code: str, lot: str, units: int, on: date) -> None:
    record_stock(session, StockEntry(kind, code, lot, units, on), actor="t", now_utc=NOW)


def build(db: Database) -> None:
    with db.write() as session:
        for code in CODES:
            site = records.create(session, Site(code=code, name=code, timezone="UTC"), actor="t")
            session.flush()
            for number, expires_on, units in [
                (f"{code}-OLD", date(2026, 2, 10), 2),
                (f"{code}-NEW", date(2027, 1, 31), 2),
            ]:
                lot = StockLot(
                    site_id=site.id,
                    item="epinephrine_adult",
                    lot_number=number,
                    expires_on=expires_on,
                    quantity=units,
                    received_on=date(2026, 1, 2),
                )
                records.create(session, lot, actor="t")
        session.flush()
        # AUS1 removes its expired pens on 2026-02-20; PHX1 only one of them.
        move(session, "disposed", "AUS1", "AUS1-OLD", 2, date(2026, 2, 20))
        move(session, "disposed", "PHX1", "PHX1-OLD", 1, date(2026, 2, 25))
        # A pen used at PHX1 takes it below the minimum until two more arrive.
        move(session, "used", "PHX1", "PHX1-NEW", 1, date(2026, 2, 14))
        move(session, "received", "PHX1", "PHX1-NEW", 2, date(2026, 3, 2))


def test_they_agree_with_the_engine_day_by_day(db: Database) -> None:
    build(db)
    rules = Rules.load()
    request = ExportRequest(tuple(CODES), START, END, "test", NOW)
    blocking = {str(s) for s in BLOCKING}
    ask = {"sites": CODES, "templates": rules.templates, "now_utc": NOW}
    with snapshot(db) as session:
        ctx = context(session, request, rules)
        items = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, END), **ask)
        fast = days_out(
            session,
            rules.policy,
            rules.templates,
            ctx.sites,
            items,
            start=START,
            end=END,
            now_utc=NOW,
        )
        slow: Counter[tuple[str, str]] = Counter()
        day = START
        while day <= END:
            judged = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, day), **ask)
            failing = judged[judged["status"].isin(blocking) & judged["requirement"].isin(STOCK)]
            slow.update(set(zip(failing["site"], failing["requirement"], strict=True)))
            day += timedelta(days=1)
    fast_stock = {k: v for k, v in fast.items() if k[1] in STOCK and v}
    # Expired from 2026-02-10: AUS1 until its disposal on the 20th, PHX1 to the end.
    assert slow[("AUS1", "stock.expired_epinephrine_adult")] == 10
    assert slow[("PHX1", "stock.expired_epinephrine_adult")] == 27
    # PHX1 has 1 in-date pen from 2026-02-14 until the 2 received on 2026-03-02.
    assert slow[("PHX1", "stock.epinephrine_adult")] == 16
    assert fast_stock == {k: v for k, v in slow.items() if v}
