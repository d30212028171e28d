"""Queueing is idempotent by key; rows that no longer apply are retired, not sent."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from readiness.db import Database
from readiness.models import OutboxMessage
from readiness.reminders import outbox
from readiness.reminders.plan import Reminder

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)


def reminder(recipient: str = "ana@clinic.test", step: str = "tier-60") -> Reminder:
    return Reminder(
        recipient=recipient,
        requirement="cert.bls",
        subject="S-1",
        step=step,
        cycle="2026-05-01",
        kind="certification",
        site="AUS1",
        title="AUS1 · cert.bls · S-1: BLS expires 2026-05-01",
        detail="60-day reminder",
    )


def _states(db: Database) -> dict[str, str]:
    with db.read() as session:
        return dict(session.execute(select(OutboxMessage.key, OutboxMessage.state)).all())


def test_it_queues_a_key_once_however_often_it_runs(db: Database) -> None:
    batch = [reminder(), reminder("officer@clinic.test")]
    with db.write() as session:
        assert outbox.queue(session, batch, NOW) == 2
    with db.write() as session:
        assert outbox.queue(session, batch, NOW) == 0
        assert outbox.queue(session, [*batch, reminder(step="tier-30")], NOW) == 1
    assert set(_states(db).values()) == {"queued"}
    assert len(_states(db)) == 3


def test_a_queued_row_whose_key_no_longer_applies_is_retired(db: Database) -> None:
    keep, stale = reminder(), reminder(step="tier-90")
    with db.write() as session:
        outbox.queue(session, [keep, stale], NOW)
        assert outbox.retire_obsolete(session, {keep.key}) == 1
    assert _states(db) == {keep.key: "queued", stale.key: "obsolete"}


def test_a_sent_row_is_never_retired(db: Database) -> None:
    with db.write() as session:
        outbox.queue(session, [reminder()], NOW)
    with db.write() as session:
        outbox.mark_sent(session, outbox.claim(session, NOW), NOW)
    with db.write() as session:
        assert outbox.retire_obsolete(session, set()) == 0
    assert _states(db) == {reminder().key: "sent"}
