"""A reminder scheduler in a process of its own, passing every few tenths of a second.

`readiness scheduler` passes every 5 minutes; this runs the same `ReminderScheduler`
(its sender lock, queueing and delivery) at a test's pace, at one fixed instant, and
prints "held" or "standby" after each pass, so a test can kill the one that holds
the lock and watch the other take over.

Usage: python tests/scheduler_process.py DB_URL SMTP_PORT NOW_ISO
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

from reminder_world import mailer, setup

from readiness.db import Database
from readiness.reminders.scheduler import ReminderScheduler

PAUSE_S = 0.3


def main(url: str, smtp_port: int, now: datetime) -> None:
    scheduler = ReminderScheduler(Database(url), setup(), mailer(smtp_port))
    while True:
        held = scheduler.lock.acquire(now)
        scheduler.work(now)
        print("held" if held else "standby", flush=True)
        time.sleep(PAUSE_S)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3]))
