"""A check signed after due_by is accepted and flagged late; the slot shows done or late."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checklist_world import AFTER_TEN, BEFORE_TEN, LASER_OK, MONDAY, SITE, build_site, submit

from readiness.checklist import due_slots, templates_in_force
from readiness.db import Database

TEMPLATES = templates_in_force()


def _status(db: Database, key: str, now: datetime, day: date = MONDAY) -> str:
    with db.read() as session:
        found = {s.key: s.status for s in due_slots(session, SITE, day, now, TEMPLATES)}
    return found[key]


def test_on_time_is_done_and_after_due_by_is_late(db: Database) -> None:
    with db.write() as session:
        build_site(session, lasers=2)
    opening, laser = "opening-daily|AUS1|-|2026-03-09", "laser-preuse-daily|AUS1|L-1|2026-03-09"
    assert _status(db, opening, BEFORE_TEN) == "pending"
    assert _status(db, opening, AFTER_TEN) == "overdue"

    on_time = submit(db, now_utc=BEFORE_TEN)
    late = submit(
        db, template_id="laser-preuse-daily", asset_id="L-1", answers=LASER_OK, now_utc=AFTER_TEN
    )

    assert (on_time.run.late, late.run.late) == (False, True)
    assert "on time" in on_time.describe() and "; late" in late.describe()
    assert _status(db, opening, AFTER_TEN) == "done"
    assert _status(db, laser, AFTER_TEN) == "late"
    assert _status(db, "laser-preuse-daily|AUS1|L-2|2026-03-09", AFTER_TEN) == "overdue"


def test_a_check_entered_the_next_day_is_filed_under_its_day_and_late(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    tuesday = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    submission = submit(db, slot_date=MONDAY, now_utc=tuesday)
    assert submission.run.slot_date == MONDAY
    assert submission.run.slot_key == "opening-daily|AUS1|-|2026-03-09"
    assert submission.run.late
    assert _status(db, "opening-daily|AUS1|-|2026-03-09", tuesday) == "late"
