"""Instants are stored in UTC and come back timezone-aware on both engines."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from factories import site
from sqlalchemy import text

from readiness.db import Database
from readiness.models import Drill


def test_an_aware_local_time_comes_back_as_the_same_instant_in_utc(db: Database) -> None:
    local = datetime(2026, 3, 8, 9, 30, tzinfo=ZoneInfo("America/Chicago"))  # first CDT morning
    with db.write() as session:
        drill = Drill(
            site_id=site(session).id, scenario="anaphylaxis", held_at=local, outcome="pass"
        )
        drill.recorded_at = datetime(2026, 3, 8, 15, 0, tzinfo=UTC)
        drill.recorded_by = "test"
        session.add(drill)
        session.flush()
        drill_id = drill.id
    with db.read() as session:
        back = session.get(Drill, drill_id)
        assert back is not None
        assert back.held_at == local
        assert back.held_at.utcoffset() is not None
        assert back.held_at.tzinfo == UTC
        assert back.held_at.hour == 14


def test_sqlite_stores_the_offset_as_text(sqlite_db: Database) -> None:
    when = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"), fold=1)  # EST
    with sqlite_db.write() as session:
        session.add(
            Drill(
                site_id=site(session).id,
                scenario="fire",
                held_at=when,
                outcome="pass",
                recorded_at=when,
                recorded_by="t",
            )
        )
    with sqlite_db.engine.connect() as conn:
        stored = conn.execute(text("SELECT held_at FROM drills")).scalar_one()
    assert stored == "2026-11-01T06:30:00.000000+00:00"


def test_a_naive_datetime_is_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"), db.write() as session:
        session.add(
            Drill(
                site_id=site(session).id,
                scenario="fire",
                held_at=datetime(2026, 1, 1, 9, 0),
                outcome="pass",
                recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
                recorded_by="t",
            )
        )
