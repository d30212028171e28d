"""Two schedulers at once (threads, each with its own Database): every digest arrives once."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reminder_world import ANA, LEE, OFFICER, TUESDAY_9AM, build_practice, mailer, setup

from readiness.db import Database
from readiness.reminders.run import run_pass
from readiness.reminders.scheduler import ReminderScheduler

if TYPE_CHECKING:
    from collections.abc import Callable

    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]


def _race(url: str, work: Callable[[Database], object], count: int = 2) -> None:
    """Run `work` in `count` threads at once, each with its own Database; re-raise errors."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run() -> None:
        own = Database(url)
        try:
            start.wait()
            work(own)
        except BaseException as error:
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_two_schedulers_with_the_sender_lock(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    port = smtp_server.port
    _race(db.url, lambda own: ReminderScheduler(own, setup(), mailer(port)).once(TUESDAY_9AM))
    assert sorted(smtp_server.recipients()) == sorted([ANA, LEE, OFFICER])


def test_two_deliverers_without_the_lock_still_claim_each_row_once(
    db: Database, smtp_server: SmtpServer
) -> None:
    build_practice(db)
    port = smtp_server.port
    _race(db.url, lambda own: run_pass(own, setup(), mailer(port), TUESDAY_9AM), count=3)
    recipients = smtp_server.recipients()
    # The rows of one recipient may be split between two deliverers, never sent twice.
    lines = [
        line for m in smtp_server.messages for line in m.body.splitlines() if line.startswith("* ")
    ]
    per_recipient = [
        (m.recipients, line)
        for m in smtp_server.messages
        for line in m.body.splitlines()
        if line.startswith("* ")
    ]
    assert len(per_recipient) == len(set(per_recipient))
    assert set(recipients) == {ANA, LEE, OFFICER}
    assert lines
