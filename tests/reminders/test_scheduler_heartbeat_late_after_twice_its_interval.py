"""The dashboard's heartbeat table: a job is late when more than twice its interval passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from readiness.db import Database
from readiness.models import Site
from readiness.reminders import heartbeats
from readiness.reminders.scheduler import heartbeat_status

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "late"),
    [
        (timedelta(0), False),
        (timedelta(minutes=10), False),  # exactly twice the 5-minute interval
        (timedelta(minutes=10, seconds=1), True),
    ],
)
def test_late_means_more_than_twice_the_interval(ago: timedelta, late: bool) -> None:
    assert heartbeats.is_late(NOW - ago, 300, NOW) is late


def test_a_job_that_never_succeeded_is_late() -> None:
    assert heartbeats.is_late(None, 300, NOW)


def test_the_status_lists_every_expected_job_even_one_that_never_ran(db: Database) -> None:
    with db.write() as session:
        session.add(Site(code="AUS1", name="Austin", timezone="America/Chicago"))
        session.add(Site(code="PHX1", name="Phoenix", timezone="America/Phoenix"))
        heartbeats.succeeded(session, "reminder-pass", 300, NOW - timedelta(minutes=4))
        heartbeats.succeeded(
            session, "daily-digest America/Chicago", 86400, NOW - timedelta(days=3)
        )
    with db.read() as session:
        status = heartbeat_status(session, NOW).set_index("job")
    assert list(status.index) == [
        "reminder-pass",
        "daily-digest America/Chicago",
        "daily-digest America/Phoenix",
        "weekly-summary",
    ]
    assert status["late"].to_dict() == {
        "reminder-pass": False,
        "daily-digest America/Chicago": True,
        "daily-digest America/Phoenix": True,
        "weekly-summary": True,
    }
    assert status.loc["reminder-pass", "last_ok_at"] == NOW - timedelta(minutes=4)
