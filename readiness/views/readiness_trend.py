"""The readiness trend: how many sites were ready for each scenario at the close of each day.

Read from the readiness snapshots the scheduler writes once per site day
(`services.readiness_snapshots`), never judged here: a visit reads a few thousand
rows instead of running the engine 90 times. A day without a snapshot for any of
the sites asked about is a gap (`ready` and `recorded` are missing), so the chart
shows that nothing was recorded rather than a guess.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from readiness.models import ReadinessSnapshot, Site
from readiness.policy.pack import Policy
from readiness.services.readiness_snapshots import TREND_DAYS

COLUMNS = ["day", "scenario", "ready", "recorded"]


def readiness_trend(
    session: Session,
    policy: Policy,
    codes: Collection[str] | None,
    today: date,
    days: int = TREND_DAYS,
) -> pd.DataFrame:
    """One row per day before `today` (oldest first) and scenario of the policy (titles).

    `ready`: sites ready at that day's close; `recorded`: sites with a snapshot of the
    day. Both are missing (NA) on a day nobody recorded. `codes` limits the sites
    (None: every site).
    """
    first = today - timedelta(days=days)
    query = (
        select(
            ReadinessSnapshot.day,
            ReadinessSnapshot.scenario,
            func.sum(case((ReadinessSnapshot.ready, 1), else_=0)),
            func.count(),
        )
        .where(ReadinessSnapshot.day >= first, ReadinessSnapshot.day < today)
        .group_by(ReadinessSnapshot.day, ReadinessSnapshot.scenario)
    )
    if codes is not None:
        query = query.join(Site, Site.id == ReadinessSnapshot.site_id).where(
            Site.code.in_(list(codes))
        )
    found = {
        (day, scenario): (ready, count) for day, scenario, ready, count in session.execute(query)
    }
    rows = [
        (day, scenario.title, *found.get((day, name), (pd.NA, pd.NA)))
        for day in (first + timedelta(days=n) for n in range(days))
        for name, scenario in policy.scenarios.items()
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"ready": "Int64", "recorded": "Int64"})
