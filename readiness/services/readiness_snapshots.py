"""Readiness snapshots: each site's scenario readiness at the close of each local day.

The overview's 90-day trend reads these rows instead of judging 90 past days on
every visit. The scheduler's daily job (`take`) writes each site's last closed day,
judged by the engine as of that day; when the scheduler was stopped it catches up
on the days since the site's latest snapshot (at most CATCH_UP_DAYS), and a site
that never had one starts with yesterday: days nobody recorded stay gaps.
`readiness demo` backfills its made-up history in bulk (`backfill`).

Judging runs in a read session (`plan_*`), so the write session that stores the
rows (`store`) holds the writers' lock for an INSERT only. The unique key (site,
day, scenario) with ON CONFLICT DO NOTHING makes any of these safe to run twice, or
from two schedulers at once. Like the heartbeats, snapshots are derived from the
audited records rather than records themselves: they are not audited, and never
updated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from readiness.compliance import compliance_items, scenario_readiness
from readiness.compliance.history.readiness import readiness_by_day, site_periods
from readiness.models import ReadinessSnapshot, Site
from readiness.policy.pack import Policy
from readiness.policy.templates import Template
from readiness.rules import slots

CATCH_UP_DAYS = 7
# The days the overview's trend shows.
TREND_DAYS = 90
# Rows per INSERT statement (SQLite allows 32,766 bound values; six per row).
BATCH = 5000
Row = dict[str, Any]


def plan_take(
    session: Session,
    policy: Policy,
    templates: Mapping[str, Template],
    now_utc: datetime,
    *,
    as_of: date | None = None,
) -> list[Row]:
    """The snapshot rows owed at now_utc: each active site's closed days not yet recorded.

    With `as_of`, just that day for every active site where it has closed and has no
    snapshot (for `readiness snapshot --as-of`).
    """
    owed = _owed(session, now_utc, as_of)
    rows: list[Row] = []
    # One engine run per day back: as_of is a date per site (each in its own zone).
    for wanted in _by_offset(owed):
        items = compliance_items(
            session,
            policy,
            as_of=wanted,
            sites=sorted(wanted),
            templates=templates,
            now_utc=now_utc,
        )
        rows.extend(_rows(scenario_readiness(items, policy), wanted, _pks(session), now_utc))
    return rows


def plan_backfill(
    session: Session,
    policy: Policy,
    templates: Mapping[str, Template],
    start: date,
    end: date,
    now_utc: datetime,
) -> list[Row]:
    """Rows for every closed day of start..end at every active site (demo history)."""
    codes = list(session.scalars(select(Site.code).where(Site.active).order_by(Site.code)))
    if not codes:
        return []
    items = compliance_items(session, policy, sites=codes, templates=templates, now_utc=now_utc)
    frame = readiness_by_day(
        session,
        policy,
        templates,
        site_periods(session, codes, start, end),
        items,
        start=start,
        end=end,
        now_utc=now_utc,
    )
    frame = frame.assign(
        ready=frame["ready"].astype(bool), blocking=frame["blocking"].astype(int), taken_at=now_utc
    )
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def store(session: Session, rows: Iterable[Row]) -> int:
    """Insert the rows, skipping any (site, day, scenario) already recorded; rows written."""
    written = 0
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            written += _insert(session, batch)
            batch = []
    if batch:
        written += _insert(session, batch)
    return written


def _insert(session: Session, batch: list[Row]) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast(Table, ReadinessSnapshot.__table__)
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["site_id", "day", "scenario"])
        # The ids of the rows written: rowcount is not reported for this on every driver.
        .returning(table.c.id)
    )
    # The rows as parameters of one cached Core statement (SQLAlchemy batches them into
    # multi-row INSERTs): rows in .values() compiled a new statement per batch, which
    # took longer than judging the days, and the ORM's bulk path adds per-row work.
    return len(session.execute(statement, batch).all())


def _owed(session: Session, now_utc: datetime, as_of: date | None) -> dict[str, list[date]]:
    """Per site code: the closed local days owed a snapshot, newest first."""
    latest = dict(
        session.execute(
            select(ReadinessSnapshot.site_id, func.max(ReadinessSnapshot.day)).group_by(
                ReadinessSnapshot.site_id
            )
        ).all()
    )
    taken = _taken_on(session, as_of) if as_of is not None else set()
    owed: dict[str, list[date]] = {}
    for pk, code, zone in session.execute(
        select(Site.id, Site.code, Site.timezone).where(Site.active)
    ):
        closed = slots.site_today(now_utc, zone) - timedelta(days=1)
        if as_of is not None:
            days = [as_of] if as_of <= closed and pk not in taken else []
        else:
            since = latest.get(pk) or closed - timedelta(days=1)
            first = max(since + timedelta(days=1), closed - timedelta(days=CATCH_UP_DAYS - 1))
            days = [closed - timedelta(days=n) for n in range((closed - first).days + 1)]
        if days:
            owed[code] = days
    return owed


def _taken_on(session: Session, day: date) -> set[int]:
    """Sites with a snapshot of that day."""
    return set(
        session.scalars(select(ReadinessSnapshot.site_id).where(ReadinessSnapshot.day == day))
    )


def _by_offset(owed: dict[str, list[date]]) -> list[dict[str, date]]:
    """The owed days as engine runs: the n-th newest owed day of every site in run n."""
    longest = max((len(days) for days in owed.values()), default=0)
    return [{code: days[n] for code, days in owed.items() if n < len(days)} for n in range(longest)]


def _pks(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Site.code, Site.id)).all())


def _rows(
    scenarios: pd.DataFrame, days: Mapping[str, date], pks: Mapping[str, int], now_utc: datetime
) -> list[Row]:
    return [
        {
            "site_id": pks[str(site)],
            "day": days[str(site)],
            "scenario": str(scenario),
            "ready": bool(ready),
            "blocking": len(blocking),
            "taken_at": now_utc,
        }
        for site, scenario, ready, blocking in scenarios[
            ["site", "scenario", "ready", "blocking"]
        ].itertuples(index=False)
        if str(site) in days
    ]
