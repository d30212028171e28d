"""`readiness scheduler` (the loop): every job runs at start, so missed runs are caught up."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest
from reminder_world import ANA, LEE, OFFICER, TUESDAY_9AM, build_practice, mailer, setup

from readiness import clock
from readiness.db import Database
from readiness.reminders.lease import sender_lock
from readiness.reminders.scheduler import ReminderScheduler, heartbeat_status

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]


def test_the_loop_sends_at_start_then_stops_and_frees_the_lock(
    db: Database, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pytz", reason="schedule needs pytz for time zones (pyproject lists it)")
    monkeypatch.setattr(clock, "utc_now", lambda: TUESDAY_9AM)
    build_practice(db)
    scheduler = ReminderScheduler(db, setup(), mailer(smtp_server.port))
    stop = threading.Event()
    loop = threading.Thread(target=scheduler.run_forever, args=(stop,))
    loop.start()
    deadline = time.monotonic() + 60
    while len(smtp_server.messages) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    loop.join(timeout=60)

    assert not loop.is_alive()
    assert sorted(smtp_server.recipients()) == sorted([ANA, LEE, OFFICER])
    with db.read() as session:
        assert not heartbeat_status(session, TUESDAY_9AM)["late"].any()
    other_db = Database(db.url)
    other = sender_lock(other_db, "next")
    try:
        assert other.acquire(TUESDAY_9AM)
    finally:
        other.release()
        other_db.dispose()
