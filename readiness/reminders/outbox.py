"""The reminder outbox: queue once by key, claim for delivery, mark sent or retry later.

Row states: ``queued`` (waiting, or waiting for a retry at ``next_attempt_at``),
``sending`` (claimed by one deliverer until ``next_attempt_at``), ``sent``, and
``obsolete`` (retired unsent because it no longer needs action). A claim is a
conditional UPDATE, so two deliverers never claim the same row; a claim whose
deliverer died runs out and the row is claimed again, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from readiness.models import OutboxMessage
from readiness.reminders.digest import DigestLine
from readiness.reminders.plan import Reminder
from readiness.reminders.upsert import insert_for

QUEUED, SENDING, SENT, OBSOLETE = "queued", "sending", "sent", "obsolete"
# A deliverer that holds a claim longer than this is presumed dead.
CLAIM_FOR = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)
INSERT_BATCH = 500
ERROR_MAX = 2000


@dataclass(frozen=True)
class Claimed:
    """A row claimed for delivery."""

    id: int
    recipient: str
    kind: str
    subject: str
    body: str
    attempts: int

    def line(self) -> DigestLine:
        """The row as a line of its recipient's digest."""
        return DigestLine(self.kind, self.subject, self.body)


def queue(session: Session, reminders: Iterable[Reminder], now: datetime) -> int:
    """Insert each reminder whose key is new; return how many were new."""
    rows = [
        {
            "key": r.key,
            "recipient": r.recipient,
            "subject": r.title[:300],
            "body": r.detail,
            "kind": r.kind,
            "created_at": now,
            "state": QUEUED,
            "attempts": 0,
        }
        for r in reminders
    ]
    inserted = 0
    for start in range(0, len(rows), INSERT_BATCH):
        stmt = (
            insert_for(session, OutboxMessage)
            .values(rows[start : start + INSERT_BATCH])
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxMessage.id)
        )
        inserted += len(session.execute(stmt).all())
    return inserted


def retire_obsolete(session: Session, current: Collection[str]) -> int:
    """Mark queued rows whose key no longer applies as obsolete; return how many."""
    waiting = session.execute(
        select(OutboxMessage.id, OutboxMessage.key).where(OutboxMessage.state == QUEUED)
    ).all()
    stale = [row_id for row_id, key in waiting if key not in current]
    if not stale:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(stale), OutboxMessage.state == QUEUED)
        .values(state=OBSOLETE)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _deliverable(now: datetime) -> ColumnElement[bool]:
    """Queued rows whose retry time has come, and claims that ran out."""
    return or_(
        and_(
            OutboxMessage.state == QUEUED,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        ),
        and_(OutboxMessage.state == SENDING, OutboxMessage.next_attempt_at <= now),
    )


def claim(session: Session, now: datetime, *, limit: int = 1000) -> list[Claimed]:
    """Claim deliverable rows for this deliverer: each row goes to one claimant only."""
    ids = session.scalars(
        select(OutboxMessage.id).where(_deliverable(now)).order_by(OutboxMessage.id).limit(limit)
    ).all()
    if not ids:
        return []
    # The WHERE is checked again by the UPDATE: a row another deliverer claimed in
    # the meantime no longer matches and is not returned.
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), _deliverable(now))
        .values(state=SENDING, attempts=OutboxMessage.attempts + 1, next_attempt_at=now + CLAIM_FOR)
        .returning(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
        )
        .execution_options(synchronize_session=False)
    ).all()
    return sorted((Claimed(*row) for row in claimed), key=lambda c: (c.recipient, c.id))


def deliverable(session: Session, now: datetime) -> list[Claimed]:
    """The rows a delivery at `now` would claim, without claiming them (for a dry run)."""
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
        )
        .where(_deliverable(now))
        .order_by(OutboxMessage.recipient, OutboxMessage.id)
    ).all()
    return [Claimed(*row) for row in rows]


def existing_keys(session: Session, keys: Collection[str]) -> set[str]:
    """The keys among `keys` that are already in the outbox, whatever their state."""
    found: set[str] = set()
    ordered = sorted(keys)
    for start in range(0, len(ordered), INSERT_BATCH):
        chunk = ordered[start : start + INSERT_BATCH]
        found.update(session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk))))
    return found


def mark_sent(session: Session, rows: Sequence[Claimed], now: datetime) -> int:
    """Mark claimed rows as sent; return how many were still ours to mark."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([row.id for row in rows]), OutboxMessage.state == SENDING)
        .values(state=SENT, sent_at=now, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def mark_failed(session: Session, rows: Sequence[Claimed], error: str, now: datetime) -> None:
    """Put claimed rows back in the queue with the error, to be retried after a back-off."""
    by_attempts = groupby(sorted(rows, key=lambda r: r.attempts), key=lambda r: r.attempts)
    for attempts, group in by_attempts:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row.id for row in group]), OutboxMessage.state == SENDING)
            .values(
                state=QUEUED, last_error=error[:ERROR_MAX], next_attempt_at=now + backoff(attempts)
            )
            .execution_options(synchronize_session=False)
        )


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones: 1, 2, 4 ... minutes, at most 6 h."""
    if attempts < 1:
        return timedelta(0)
    # Capping the exponent first keeps the multiplication small however many attempts.
    doubled = FIRST_RETRY * 2 ** min(attempts - 1, 20)
    return min(doubled, MAX_RETRY)
