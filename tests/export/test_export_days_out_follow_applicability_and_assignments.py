"""The export's days out agree with the engine asked day by day for a multi-state practice
imported from files: requirements that apply only in Texas, and a clinic staffed by a
visiting nurse over the days of her assignment (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from multistate_support import imported

from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.db import Database
from readiness.export.build import Rules, context, snapshot
from readiness.export.context import ExportRequest
from readiness.rules.status import BLOCKING

CODES = ["AUS1", "NYC1", "NYC2"]
# Around the visits' first day (5 January) and N-2's last (31 January).
START, END = date(2026, 1, 2), date(2026, 2, 3)
NOW = datetime(2026, 2, 3, 23, 0, tzinfo=UTC)
WATCHED = {"staffing.bls_clinician", "site.lso_designated", "laser.inventory"}


def test_they_agree_day_by_day(db: Database) -> None:
    imported(db)
    rules = Rules.load()
    request = ExportRequest(tuple(CODES), START, END, "test", NOW)
    blocking = {str(s) for s in BLOCKING}
    with snapshot(db) as session:
        ctx = context(session, request, rules)
        ask = {"sites": CODES, "templates": rules.templates, "now_utc": NOW}
        items = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, END), **ask)
        fast = days_out(
            session, rules.policy, rules.templates, ctx.sites, items,
            start=START, end=END, now_utc=NOW,
        )  # fmt: skip
        slow: Counter[tuple[str, str]] = Counter()
        day = START
        while day <= END:
            judged = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, day), **ask)
            failing = judged[judged["status"].isin(blocking)]
            slow.update(set(zip(failing["site"], failing["requirement"], strict=True)))
            day += timedelta(days=1)
    every = set(slow) | set(fast)
    wrong = {k: (slow[k], fast.get(k, 0)) for k in every if slow[k] != fast.get(k, 0)}
    assert wrong == {}
    # NYC2 has no BLS clinician of its own: out on 2-4 January, before the visits.
    assert slow[("NYC2", "staffing.bls_clinician")] == 3
    assert {k[1] for k in every} >= WATCHED - {"laser.inventory"}
    assert ("NYC1", "laser.inventory") not in slow  # Texas only
