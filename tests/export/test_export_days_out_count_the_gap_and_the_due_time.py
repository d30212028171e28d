"""Days out of compliance follow the checklist rules the engine applies: a 30-day limit
between extinguisher checks counts the days past it even inside a month whose slot is
done, and today's opening check counts once its 10:00 due time has passed; the engine,
asked day by day, finds the same days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from compliance_support import Practice, local

from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.db import Database
from readiness.export.build import Rules, context, snapshot
from readiness.export.context import ExportRequest
from readiness.rules.status import BLOCKING

TZ = "America/Chicago"
EXTINGUISHER = ("GAP", "extinguisher.monthly")
OPENING = ("OPEN", "aed.daily_check")
TODAY = date(2026, 3, 5)


def _world(db: Database) -> None:
    with db.write() as session:
        p = Practice(session)
        gap = p.site("GAP", TZ)
        extinguisher = p.asset(gap, "X-1", "fire_extinguisher")
        for done in (date(2025, 10, 1), date(2025, 11, 30)):
            slot = done.replace(day=1)
            p.run(gap, "extinguisher-monthly", slot, local(done, "11:00", TZ), asset=extinguisher)
        opening = p.site("OPEN", TZ)
        day = date(2026, 2, 20)
        while day < TODAY:  # every day done at 09:00, today not yet
            p.run(opening, "opening-daily", day, local(day, "09:00", TZ))
            day += timedelta(days=1)


def _count(
    db: Database, code: str, start: date, end: date, now: datetime
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """(from the day masks, from the engine asked day by day) per site and requirement."""
    rules = Rules.load()
    blocking = {str(s) for s in BLOCKING}
    with snapshot(db) as session:
        ctx = context(session, ExportRequest((code,), start, end, "test", now), rules)
        ask = {"sites": [code], "templates": rules.templates, "now_utc": now}
        items = compliance_items(session, rules.policy, as_of=end, **ask)
        fast = days_out(
            session,
            rules.policy,
            rules.templates,
            ctx.sites,
            items,
            start=start,
            end=end,
            now_utc=now,
        )
        slow: dict[tuple[str, str], int] = {}
        day = start
        while day <= end:
            judged = compliance_items(session, rules.policy, as_of=day, **ask)
            failing = judged[judged["status"].isin(blocking)]
            for key in set(zip(failing["site"], failing["requirement"], strict=True)):
                slow[key] = slow.get(key, 0) + 1
            day += timedelta(days=1)
    return fast, slow


def test_the_gap_days_are_counted(db: Database) -> None:
    _world(db)
    now = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
    fast, slow = _count(db, "GAP", date(2025, 10, 25), date(2025, 12, 3), now)
    # 1 to 29 November: more than 30 days after 1 October, November's slot still open.
    assert fast[EXTINGUISHER] == slow[EXTINGUISHER] == 29


@pytest.mark.parametrize(("hhmm", "days"), [("09:59", 0), ("10:00", 0), ("10:01", 1)])
def test_today_counts_once_its_due_time_has_passed(db: Database, hhmm: str, days: int) -> None:
    _world(db)
    now = local(TODAY, hhmm, TZ).astimezone(UTC)
    fast, slow = _count(db, "OPEN", date(2026, 3, 1), TODAY, now)
    assert fast.get(OPENING, 0) == slow.get(OPENING, 0) == days
