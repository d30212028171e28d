"""With the SMTP server down, reminders stay queued with their error and go out once it is back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from reminder_world import (
    ANA,
    LEE,
    OFFICER,
    TUESDAY_9AM,
    build_practice,
    fixed_items,
    item,
    items,
    mailer,
)
from sqlalchemy import select

from readiness.db import Database
from readiness.models import OutboxMessage
from readiness.reminders.run import run_pass

if TYPE_CHECKING:
    from smtpserver import SmtpServer

# The smtp_server fixture; loaded as a plugin so that its asserts are rewritten.
pytest_plugins = ["smtpserver"]

SETUP = fixed_items(items(item("cert.bls", "S-1", "due_soon", date(2026, 5, 1))))


def _rows(db: Database) -> list[OutboxMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_reminders_wait_while_the_server_is_down_and_go_out_once_after(
    db: Database, smtp_server: SmtpServer
) -> None:
    build_practice(db)
    send = mailer(smtp_server.port)
    smtp_server.stop()

    down = run_pass(db, SETUP, send, TUESDAY_9AM)
    assert down.delivery is not None
    assert down.delivery.messages == 0
    assert down.delivery.rows_failed == down.queued > 0
    rows = _rows(db)
    assert {r.state for r in rows} == {"queued"}
    assert {r.attempts for r in rows} == {1}
    assert all("ConnectionRefusedError" in (r.last_error or "") for r in rows)
    assert {r.next_attempt_at for r in rows} == {TUESDAY_9AM + timedelta(minutes=1)}

    # Before the back-off has passed nothing is tried; after it, the second try fails too.
    run_pass(db, SETUP, send, TUESDAY_9AM + timedelta(seconds=30))
    assert {r.attempts for r in _rows(db)} == {1}
    run_pass(db, SETUP, send, TUESDAY_9AM + timedelta(minutes=5))
    assert {r.attempts for r in _rows(db)} == {2}
    assert {r.next_attempt_at for r in _rows(db)} == {TUESDAY_9AM + timedelta(minutes=7)}

    smtp_server.start()
    back = run_pass(db, SETUP, send, TUESDAY_9AM + timedelta(minutes=10))
    assert back.queued == 0
    assert back.delivery is not None and back.delivery.rows_sent == len(rows)
    assert sorted(smtp_server.recipients()) == sorted([ANA, LEE, OFFICER])
    assert {r.state for r in _rows(db)} == {"sent"}

    again = run_pass(db, SETUP, send, TUESDAY_9AM + timedelta(minutes=15))
    assert again.delivery is not None and again.delivery.messages == 0
    assert len(smtp_server.messages) == 3
