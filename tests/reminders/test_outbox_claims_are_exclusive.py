"""Claiming is a conditional UPDATE: concurrent deliverers never claim the same row."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from readiness.db import Database
from readiness.reminders import outbox
from readiness.reminders.plan import Reminder

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)
ROWS = 60


def _queue_many(db: Database) -> None:
    batch = [
        Reminder(f"p{n % 7}@clinic.test", "aed.pads", f"AED-{n}", "tier-60", "2026-05-01",
                 "equipment", "AUS1", f"AED-{n} pads expire")
        for n in range(ROWS)
    ]  # fmt: skip
    with db.write() as session:
        outbox.queue(session, batch, NOW)


def test_concurrent_claims_split_the_rows_without_overlap(db: Database) -> None:
    _queue_many(db)
    claimed: list[list[int]] = []
    start = threading.Barrier(4)

    def claim() -> None:
        own = Database(db.url)
        try:
            start.wait()
            with own.write() as session:
                claimed.append([row.id for row in outbox.claim(session, NOW)])
        finally:
            own.dispose()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [row_id for ids in claimed for row_id in ids]
    assert len(every) == len(set(every)) == ROWS


def test_a_claim_whose_deliverer_died_is_claimed_again_later(db: Database) -> None:
    _queue_many(db)
    with db.write() as session:
        assert len(outbox.claim(session, NOW)) == ROWS
    with db.write() as session:
        assert outbox.claim(session, NOW + timedelta(minutes=5)) == []
    with db.write() as session:
        again = outbox.claim(session, NOW + outbox.CLAIM_FOR)
    assert len(again) == ROWS
    assert {row.attempts for row in again} == {2}


def test_only_rows_still_claimed_are_marked_sent(db: Database) -> None:
    _queue_many(db)
    with db.write() as session:
        rows = outbox.claim(session, NOW)
    with db.write() as session:
        assert outbox.mark_sent(session, rows, NOW) == ROWS
    with db.write() as session:
        assert outbox.mark_sent(session, rows, NOW) == 0
        assert outbox.claim(session, NOW + timedelta(days=1)) == []
