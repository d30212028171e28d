"""Days out of compliance for presence and matched eyewear agree with the engine asked
day by day, also when they are out: an AED out of service, a kit retired, a pair of
eyewear with an unreadable label, a laser without enough pairs."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from readiness.audit import records
from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.db import Database
from readiness.demo import build_demo
from readiness.export.build import Rules, context, snapshot
from readiness.export.context import ExportRequest
from readiness.models import Asset, Site
from readiness.rules.status import BLOCKING

AS_OF = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
CODES = ["AUS1", "PHX1"]
WATCHED = {
    "aed.present",
    "kit.present",
    "oxygen.present",
    "extinguisher.present",
    "eyewear.matched",
}


def _break_the_essentials(db: Database) -> None:
    with db.write() as session:
        aus1 = session.scalar(select(Site).where(Site.code == "AUS1"))
        assert aus1 is not None
        for asset in session.scalars(select(Asset).where(Asset.site_id == aus1.id)):
            if asset.kind == "aed":
                records.update(session, asset, {"status": "out_of_service"}, actor="t", reason="x")
            elif asset.kind == "emergency_kit":
                records.update(session, asset, {"status": "retired"}, actor="t", reason="x")
        phx1 = session.scalar(select(Site).where(Site.code == "PHX1"))
        assert phx1 is not None
        pair = Asset(
            asset_id="PHX1-EYE99",
            site_id=phx1.id,
            kind="eyewear",
            name="Unlabelled goggles",
            optical_density="IPL shade 5",
        )
        records.create(session, pair, actor="t")


def test_they_agree_when_essentials_are_missing(sqlite_db: Database) -> None:
    build_demo(sqlite_db, sites=2, days=40, seed=11, if_empty=False, as_of=AS_OF)
    _break_the_essentials(sqlite_db)
    start, end = date(2026, 2, 10), AS_OF
    rules = Rules.load()
    blocking = {str(s) for s in BLOCKING}
    with snapshot(sqlite_db) as session:
        ctx = context(session, ExportRequest(tuple(CODES), start, end, "test", NOW), rules)
        ask = {"sites": CODES, "templates": rules.templates, "now_utc": NOW}
        items = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, end), **ask)
        fast = days_out(
            session,
            rules.policy,
            rules.templates,
            ctx.sites,
            items,
            start=start,
            end=end,
            now_utc=NOW,
        )
        slow: Counter[tuple[str, str]] = Counter()
        day = start
        while day <= end:
            judged = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, day), **ask)
            failing = judged[judged["status"].isin(blocking) & judged["requirement"].isin(WATCHED)]
            slow.update(set(zip(failing["site"], failing["requirement"], strict=True)))
            day += timedelta(days=1)
    days = (end - start).days + 1
    assert slow[("AUS1", "aed.present")] == days
    assert slow[("AUS1", "kit.present")] == days
    assert slow[("PHX1", "eyewear.matched")] == days
    watched = {k: v for k, v in fast.items() if k[1] in WATCHED}
    assert watched == {k: v for k, v in slow.items() if v} | {k: 0 for k in watched if not slow[k]}
