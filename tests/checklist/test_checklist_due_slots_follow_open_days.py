"""Due slots honour open days, asset status and frequency, and read runs in one query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from checklist_world import (
    ACTOR,
    BEFORE_TEN,
    LASER_OK,
    MONDAY,
    SITE,
    build_site,
    submit,
)
from sqlalchemy import event, select

from readiness.audit import records
from readiness.checklist import due_slots, templates_in_force
from readiness.db import Database
from readiness.models import Asset
from readiness.policy.templates import Template, parse_template

SUNDAY = date(2026, 3, 8)
TEMPLATES = templates_in_force()


def _weekly() -> Template:
    """A weekly site checklist, to see a slot owed across its week."""
    return parse_template(
        {
            "id": "suction-weekly",
            "title": "Weekly suction test",
            "applies_to": "site",
            "frequency": "weekly",
            "due_by": "12:00",
            "items": [{"id": "suction_works", "text": "Suction works", "type": "pass_fail"}],
        }
    )


def _keys(db: Database, day: date, now: datetime, templates: dict[str, Template]) -> list[str]:
    with db.read() as session:
        return [slot.key for slot in due_slots(session, SITE, day, now, templates)]


def test_an_open_day_owes_site_and_per_asset_slots(db: Database) -> None:
    with db.write() as session:
        build_site(session, lasers=2)
    assert sorted(_keys(db, MONDAY, BEFORE_TEN, TEMPLATES)) == [
        "aed-monthly|AUS1|AED-1|2026-03-02",
        "kit-monthly|AUS1|KIT-1|2026-03-02",
        "laser-preuse-daily|AUS1|L-1|2026-03-09",
        "laser-preuse-daily|AUS1|L-2|2026-03-09",
        "opening-daily|AUS1|-|2026-03-09",
    ]


def test_a_closed_day_owes_nothing(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    sunday_noon = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
    assert _keys(db, SUNDAY, sunday_noon, TEMPLATES) == []


def test_out_of_service_and_retired_assets_owe_no_slot(db: Database) -> None:
    with db.write() as session:
        build_site(session, lasers=3)
        for asset_id, status in (("L-2", "out_of_service"), ("L-3", "retired")):
            asset = session.scalars(select(Asset).where(Asset.asset_id == asset_id)).one()
            records.update(session, asset, {"status": status}, actor=ACTOR, reason="broken")
    lasers = [k for k in _keys(db, MONDAY, BEFORE_TEN, TEMPLATES) if k.startswith("laser")]
    assert lasers == ["laser-preuse-daily|AUS1|L-1|2026-03-09"]


def test_a_weekly_slot_is_owed_until_done_then_shown_only_on_its_date(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    templates = {"suction-weekly": _weekly()}
    wednesday = date(2026, 3, 11)
    wednesday_morning = datetime(2026, 3, 11, 14, 0, tzinfo=UTC)
    assert _keys(db, wednesday, wednesday_morning, templates) == [
        "suction-weekly|AUS1|-|2026-03-09"
    ]
    submit(
        db,
        template_id="suction-weekly",
        answers={"suction_works": True},
        slot_date=wednesday,
        now_utc=wednesday_morning,
        templates=templates,
    )
    with db.read() as session:
        (slot,) = due_slots(session, SITE, wednesday, wednesday_morning, templates)
    assert (slot.status, slot.slot_date, slot.due_on) == ("done", MONDAY, date(2026, 3, 14))
    friday = datetime(2026, 3, 13, 14, 0, tzinfo=UTC)
    assert _keys(db, date(2026, 3, 13), friday, templates) == []
    assert _keys(db, MONDAY, friday, templates) == ["suction-weekly|AUS1|-|2026-03-09"]


def test_runs_are_read_in_one_query(db: Database) -> None:
    with db.write() as session:
        build_site(session, lasers=5)
    for n in (1, 2, 3):
        submit(db, template_id="laser-preuse-daily", asset_id=f"L-{n}", answers=LASER_OK)
    with db.read() as session, _statements(db) as seen:
        found = due_slots(session, SITE, MONDAY, BEFORE_TEN, TEMPLATES)
    assert sum(1 for slot in found if slot.status == "done") == 3
    assert sum("FROM checklist_runs" in sql for sql in seen) == 1


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements executed inside the block."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
