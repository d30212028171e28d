"""`readiness demo` records the readiness snapshots of its history (the trend's 90 days),
judged from the history's facts in bulk; each day's snapshot is what the engine says of
that day, site and scenario."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from readiness.compliance import compliance_items, scenario_readiness
from readiness.db import Database
from readiness.demo import build_demo
from readiness.models import ReadinessSnapshot, Site
from readiness.policy.current import current_policy

AS_OF = date(2026, 3, 9)
NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


def test_each_days_snapshot_is_the_engines_judgement(db: Database) -> None:
    build_demo(db, sites=2, days=120, seed=3, if_empty=False, as_of=AS_OF)
    policy = current_policy()
    with db.read() as session:
        first, last, count = session.execute(
            select(func.min(ReadinessSnapshot.day), func.max(ReadinessSnapshot.day), func.count())
        ).one()
        assert (first, last) == (AS_OF - timedelta(days=90), AS_OF - timedelta(days=1))
        assert count == 90 * 2 * len(policy.scenarios)
        stored = {
            (code, row.day, row.scenario): (row.ready, row.blocking)
            for code, row in session.execute(
                select(Site.code, ReadinessSnapshot).join(
                    Site, Site.id == ReadinessSnapshot.site_id
                )
            )
        }
        # The engine, day by day, on a spread of days (each run takes a moment).
        for back in (1, 2, 7, 30, 61, 90):
            day = AS_OF - timedelta(days=back)
            items = compliance_items(session, policy, as_of=day, now_utc=NOW)
            judged = scenario_readiness(items, policy)
            for site, scenario, ready, blocking in judged.itertuples(index=False):
                assert stored[(site, day, scenario)] == (bool(ready), len(blocking)), (
                    site,
                    day,
                    scenario,
                    blocking,
                )
    # The made-up history is not perfect: some days are not ready, so the trend moves.
    assert {ready for ready, _ in stored.values()} == {True, False}
