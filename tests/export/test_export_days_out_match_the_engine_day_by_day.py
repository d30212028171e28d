"""Days out of compliance, computed for a whole period at once, are the days on which the
compliance engine, asked day by day, finds the requirement failed, overdue, expired or
missing at some subject of the site."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.db import Database
from readiness.demo import build_demo
from readiness.export.build import Rules, context, snapshot
from readiness.export.context import ExportRequest
from readiness.rules.status import BLOCKING

AS_OF = date(2026, 3, 1)
# Mid-morning in the US on the demo's as_of day: that day is "today" and still running.
NOW = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
CODES = ["AUS1", "PHX1", "NYC1", "CHI1"]


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 1, 20), date(2026, 2, 14)), (date(2026, 2, 15), date(2026, 3, 1))],
    ids=["past", "up-to-today"],
)
def test_they_agree_with_the_engine_for_every_site_and_requirement(
    sqlite_db: Database, start: date, end: date
) -> None:
    build_demo(sqlite_db, sites=4, days=75, seed=11, if_empty=False, as_of=AS_OF)
    rules = Rules.load()
    request = ExportRequest(tuple(CODES), start, end, "test", NOW)
    blocking = {str(s) for s in BLOCKING}
    with snapshot(sqlite_db) as session:
        ctx = context(session, request, rules)
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
            failing = judged[judged["status"].isin(blocking)]
            slow.update(set(zip(failing["site"], failing["requirement"], strict=True)))
            day += timedelta(days=1)
    assert sum(slow.values()) > 20  # the demo gives something to count
    wrong = {
        k: (slow[k], fast.get(k, 0)) for k in set(slow) | set(fast) if slow[k] != fast.get(k, 0)
    }
    assert wrong == {}
