"""Readiness snapshots: each site's closed day is judged by the engine and recorded once;
a stopped scheduler catches up at most a week, and a site that never had one starts with
yesterday rather than a made-up past."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from factories import small_practice
from sqlalchemy import func, select

from readiness.checklist import templates_in_force
from readiness.compliance import compliance_items, scenario_readiness
from readiness.db import Database
from readiness.models import ReadinessSnapshot, Site
from readiness.policy.current import current_policy
from readiness.services import readiness_snapshots

# 15:00 UTC: morning in Chicago and Phoenix, so both sites' last closed day is the 9th.
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def take(db: Database, now: datetime, as_of: date | None = None) -> int:
    policy = current_policy()
    templates = templates_in_force(policy=policy)
    with db.read() as session:
        rows = readiness_snapshots.plan_take(session, policy, templates, now, as_of=as_of)
    with db.write() as session:
        return readiness_snapshots.store(session, rows)


def days_by_site(db: Database) -> dict[str, list[date]]:
    with db.read() as session:
        found = session.execute(
            select(Site.code, ReadinessSnapshot.day)
            .join(Site, Site.id == ReadinessSnapshot.site_id)
            .distinct()
            .order_by(Site.code, ReadinessSnapshot.day)
        ).all()
    days: dict[str, list[date]] = {}
    for code, day in found:
        days.setdefault(code, []).append(day)
    return days


def test_the_last_closed_day_is_recorded_once_as_the_engine_judged_it(db: Database) -> None:
    with db.write() as session:
        small_practice(session)
    scenarios = len(current_policy().scenarios)

    assert take(db, NOW) == 2 * scenarios
    assert take(db, NOW + timedelta(minutes=5)) == 0  # the next run finds the day recorded
    assert days_by_site(db) == {"AUS1": [date(2026, 3, 9)], "PHX1": [date(2026, 3, 9)]}

    policy = current_policy()
    with db.read() as session:
        items = compliance_items(session, policy, as_of=date(2026, 3, 9), now_utc=NOW)
        judged = scenario_readiness(items, policy)
        stored = {
            (code, row.scenario): (row.ready, row.blocking)
            for code, row in session.execute(
                select(Site.code, ReadinessSnapshot).join(
                    Site, Site.id == ReadinessSnapshot.site_id
                )
            )
        }
    expected = {
        (site, scenario): (bool(ready), len(blocking))
        for site, scenario, ready, blocking in judged.itertuples(index=False)
    }
    assert stored == expected
    assert any(not ready for ready, _ in stored.values())  # a practice with gaps to show


def test_a_stopped_scheduler_catches_up_a_week_at_most(db: Database) -> None:
    with db.write() as session:
        small_practice(session)
    take(db, NOW)
    # Three days later: the 10th, 11th and 12th are owed.
    take(db, NOW + timedelta(days=3))
    assert days_by_site(db)["AUS1"] == [date(2026, 3, d) for d in (9, 10, 11, 12)]
    # Stopped for twenty days: the last seven closed days only.
    take(db, NOW + timedelta(days=23))
    recorded = days_by_site(db)["AUS1"]
    assert recorded[4:] == [date(2026, 3, 26) + timedelta(days=n) for n in range(7)]


def test_a_day_can_be_recorded_on_request_and_an_open_day_cannot(db: Database) -> None:
    with db.write() as session:
        small_practice(session)
    scenarios = len(current_policy().scenarios)
    assert take(db, NOW, as_of=date(2026, 3, 1)) == 2 * scenarios
    assert take(db, NOW, as_of=date(2026, 3, 1)) == 0
    assert take(db, NOW, as_of=date(2026, 3, 10)) == 0  # today has not closed at either site
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(ReadinessSnapshot))
    assert total == 2 * scenarios


def test_storing_the_same_rows_twice_writes_them_once(db: Database) -> None:
    with db.write() as session:
        small_practice(session)
        pk = session.scalar(select(Site.id).where(Site.code == "AUS1"))
    row = {
        "site_id": pk,
        "day": date(2026, 3, 9),
        "scenario": "fire",
        "ready": True,
        "blocking": 0,
        "taken_at": NOW,
    }
    with db.write() as session:
        assert readiness_snapshots.store(session, [row]) == 1
    with db.write() as session:
        assert readiness_snapshots.store(session, [{**row, "ready": False, "blocking": 3}]) == 0
    with db.read() as session:
        kept = session.scalars(select(ReadinessSnapshot)).one()
    assert (kept.ready, kept.blocking) == (True, 0)  # never overwritten
