"""Two scheduler processes on one PostgreSQL database: the one holding the sender lock
sends, the other only queues; kill the sender and the standby takes the lock and sends
what falls due next, and no reminder reaches anyone twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reminder_world import ACTOR, ANA, LEE, OFFICER, SITE, TUESDAY_9AM, build_practice
from sqlalchemy import select

from readiness.audit import records
from readiness.db import Database
from readiness.models import Certification, Site, Staff

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]

DRIVER = Path(__file__).resolve().parents[1] / "scheduler_process.py"
NEWCOMER = "kim@clinic.test"
WAIT_S = 90.0


class Scheduler:
    """A scheduler process and the passes it has reported ("held" or "standby")."""

    def __init__(self, url: str, smtp_port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), url, str(smtp_port), TUESDAY_9AM.isoformat()],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.passes: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.passes.append(line.strip())

    def wait_for(self, state: str, count: int = 1) -> None:
        deadline = time.monotonic() + WAIT_S
        while self.passes.count(state) < count:
            assert self.process.poll() is None, f"the scheduler stopped: {self.passes}"
            assert time.monotonic() < deadline, f"no {count} x {state!r}: {self.passes}"
            time.sleep(0.1)


@contextmanager
def stopped_after(running: list[Scheduler]) -> Iterator[list[Scheduler]]:
    """The schedulers the block starts (appended to the list), killed when it ends."""
    try:
        yield running
    finally:
        for each in running:
            if each.process.poll() is None:
                each.process.kill()
            each.process.wait()


def _wait_for_mail(smtp_server: SmtpServer, recipient: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while recipient not in smtp_server.recipients():
        assert time.monotonic() < deadline, f"nothing reached {recipient}"
        time.sleep(0.1)


def _newcomer_whose_card_runs_out(db: Database) -> None:
    """A new nurse whose BLS card expires within 30 days: a reminder falls due for her."""
    with db.write() as session:
        site = session.scalars(select(Site).where(Site.code == SITE)).one()
        kim = records.create(
            session,
            Staff(
                staff_id="S-9", site_id=site.id, full_name="Kim Ortiz", role="rn", email=NEWCOMER
            ),
            actor=ACTOR,
        )
        session.flush()
        card = Certification(
            staff_pk=kim.id,
            cert_type="bls",
            issued_on=date(2024, 3, 25),
            expires_on=date(2026, 3, 25),
        )
        records.create(session, card, actor=ACTOR)


def _lines(smtp_server: SmtpServer) -> list[tuple[tuple[str, ...], str]]:
    """(recipients, reminder line) of every message received."""
    return [
        (m.recipients, line)
        for m in smtp_server.messages
        for line in m.body.splitlines()
        if line.startswith("* ")
    ]


def test_the_standby_takes_over_and_nothing_is_sent_twice(
    pg_db: Database, smtp_server: SmtpServer
) -> None:
    build_practice(pg_db)
    with stopped_after([]) as running:
        first = Scheduler(pg_db.url, smtp_server.port)
        running.append(first)
        first.wait_for("held")
        second = Scheduler(pg_db.url, smtp_server.port)
        running.append(second)
        for recipient in (ANA, LEE, OFFICER):
            _wait_for_mail(smtp_server, recipient)
        second.wait_for("standby", 3)
        assert "held" not in second.passes and "standby" not in first.passes
        before = len(smtp_server.messages)

        first.process.send_signal(signal.SIGKILL)  # no clean release: the lock dies with it
        first.process.wait()
        _newcomer_whose_card_runs_out(pg_db)
        second.wait_for("held")
        _wait_for_mail(smtp_server, NEWCOMER)
        second.wait_for("held", second.passes.count("held") + 3)  # and a few passes more

    sent = _lines(smtp_server)
    assert len(sent) == len(set(sent)), "a reminder reached someone twice"
    after = smtp_server.messages[before:]
    assert {r for m in after for r in m.recipients} <= {NEWCOMER, OFFICER}
