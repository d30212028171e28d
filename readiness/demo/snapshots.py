"""The demo's readiness snapshots: its made-up history as the scheduler would have recorded it."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from readiness.checklist import templates_in_force
from readiness.db import Database
from readiness.policy.current import current_policy
from readiness.services import readiness_snapshots

# As many days as the overview's trend shows: older snapshots would never be read.
SNAPSHOT_DAYS = readiness_snapshots.TREND_DAYS


def snapshot_history(db: Database, as_of: date, days: int) -> float:
    """Snapshots of every site for the `days` days before as_of, in bulk; seconds taken.

    The history's own facts judged day by day (`compliance.history.readiness`), so
    90 days of 200 sites take seconds rather than the engine's 90 runs.
    """
    started = time.perf_counter()
    # Noon UTC of as_of: the day before it has closed in every zone of the practice.
    now = datetime.combine(as_of, clock_time(12), tzinfo=UTC)
    policy = current_policy()
    templates = templates_in_force(policy=policy)
    with db.read() as session:
        rows = readiness_snapshots.plan_backfill(
            session, policy, templates, as_of - timedelta(days=days), as_of - timedelta(days=1), now
        )
    with db.write() as session:
        readiness_snapshots.store(session, rows)
    return time.perf_counter() - started
