"""`readiness status` and `readiness checklist due` judge a daily slot by the same due
instant (due_by in site time): pending/due_soon just before and at 10:00, overdue just
after, on an ordinary day and on the day the clocks go forward; a late run later that
day makes the item ok again (the slot stays "late"); an overdue pre-use check blocks
the scenarios that list it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from compliance_support import POLICY, TEMPLATES, Practice, items_of, local, row_of

from readiness.checklist import due_slots
from readiness.compliance import scenario_readiness
from readiness.db import Database

TZ = "America/Chicago"
ORDINARY, SPRING_FORWARD = date(2026, 3, 5), date(2026, 3, 8)
# What `status` says for each state `checklist due` gives a slot.
SAME = {"pending": "due_soon", "overdue": "overdue", "done": "ok", "late": "ok"}
ONE_MINUTE = timedelta(minutes=1)


@pytest.fixture(scope="module")
def world(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        site = p.site("AGREE", TZ)
        laser = p.asset(site, "L-1", "laser")
        late = p.site("LATE", TZ)
        for day in (ORDINARY, SPRING_FORWARD):
            # The day before was in order at both sites.
            before = day - timedelta(days=1)
            p.run(site, "opening-daily", before, local(before, "09:00", TZ))
            p.run(site, "laser-preuse-daily", before, local(before, "09:30", TZ), asset=laser)
            p.run(late, "opening-daily", before, local(before, "09:00", TZ))
            # Signed at 14:00: late, but done.
            p.run(late, "opening-daily", day, local(day, "14:00", TZ))
    return practice_db


def _both(world: Database, code: str, day: date, now: datetime) -> dict[str, tuple[str, str]]:
    """Per template: (what `checklist due` says, what `status` says) at `now`."""
    with world.read() as session:
        slots = due_slots(session, code, day, now, TEMPLATES)
    items = items_of(world, now_utc=now)
    wanted = {"opening-daily": ("aed.daily_check", code), "laser-preuse-daily": None}
    found = {}
    for slot in slots:
        if slot.template.id not in wanted:
            continue
        requirement, subject = wanted[slot.template.id] or ("laser.daily_check", slot.asset_id)
        found[slot.template.id] = (slot.status, str(row_of(items, requirement, subject)["status"]))
    return found


@pytest.mark.parametrize("day", [ORDINARY, SPRING_FORWARD], ids=["ordinary", "spring-forward"])
@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-ONE_MINUTE, "pending"), (timedelta(0), "pending"), (ONE_MINUTE, "overdue")],
    ids=["09:59", "10:00", "10:01"],
)
def test_they_agree_around_the_due_minute(
    world: Database, day: date, offset: timedelta, expected: str
) -> None:
    now = local(day, "10:00", TZ).astimezone(UTC) + offset
    found = _both(world, "AGREE", day, now)
    assert set(found) == {"opening-daily", "laser-preuse-daily"}
    for template, (due, status) in found.items():
        assert due == expected, template
        assert status == SAME[due], template


@pytest.mark.parametrize("day", [ORDINARY, SPRING_FORWARD], ids=["ordinary", "spring-forward"])
def test_a_late_run_makes_it_ok_again(world: Database, day: date) -> None:
    before = _both(world, "LATE", day, local(day, "13:59", TZ).astimezone(UTC))
    after = _both(world, "LATE", day, local(day, "14:01", TZ).astimezone(UTC))
    assert before["opening-daily"] == ("overdue", "overdue")
    assert after["opening-daily"] == ("late", "ok")


def test_the_detail_and_the_scenarios(world: Database) -> None:
    def laser(now: datetime) -> tuple[dict[str, object], set[str]]:
        items = items_of(world, now_utc=now)
        scenarios = scenario_readiness(items, POLICY)
        burn = scenarios[(scenarios["site"] == "AGREE") & (scenarios["scenario"] == "laser_burn")]
        blocking = {item["requirement"] for item in burn.iloc[0]["blocking"]}
        return row_of(items, "laser.daily_check", "L-1"), blocking

    row, blocking = laser(local(ORDINARY, "09:59", TZ).astimezone(UTC))
    assert row["detail"] == "Due by 10:00 today (last done 2026-03-04)"
    assert "laser.daily_check" not in blocking
    row, blocking = laser(local(ORDINARY, "14:56", TZ).astimezone(UTC))
    assert (row["status"], row["detail"]) == (
        "overdue",
        "Not done by 10:00 today (last done 2026-03-04)",
    )
    assert "laser.daily_check" in blocking


def test_the_due_dates_agree(world: Database) -> None:
    now = local(ORDINARY, "10:01", TZ).astimezone(UTC)
    with world.read() as session:
        slots = due_slots(session, "AGREE", ORDINARY, now, TEMPLATES)
    (slot,) = [s for s in slots if s.template.id == "laser-preuse-daily"]
    row = row_of(items_of(world, now_utc=now), "laser.daily_check", "L-1")
    assert slot.due_utc == local(ORDINARY, "10:00", TZ)
    assert row["due_on"] == slot.due_on == ORDINARY
