"""Deliver the outbox: one digest per recipient, its rows marked sent together or retried."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.reminders import outbox
from readiness.reminders.digest import Digest, compose_digest
from readiness.reminders.mailer import DeliveryError, Mailer
from readiness.reminders.outbox import Claimed

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one delivery did."""

    messages: int = 0
    rows_sent: int = 0
    rows_failed: int = 0
    errors: list[str] = field(default_factory=list)


def by_recipient(rows: Sequence[Claimed]) -> Iterator[tuple[str, list[Claimed]]]:
    """Rows grouped per recipient (rows sorted by recipient first)."""
    ordered = sorted(rows, key=lambda r: (r.recipient, r.id))
    for recipient, group in groupby(ordered, key=lambda r: r.recipient):
        yield recipient, list(group)


def digest_of(
    recipient: str, rows: Sequence[Claimed], chain_head: tuple[int, str] | None = None
) -> Digest:
    """The digest that carries these rows (and the audit chain head, for officers to keep)."""
    return compose_digest(recipient, [row.line() for row in rows], chain_head)


def deliver(db: Database, mailer: Mailer, now: datetime) -> DeliveryReport:
    """Claim every deliverable row and send one digest per recipient."""
    report = DeliveryReport()
    with db.write() as session:
        claimed = outbox.claim(session, now)
        kept = audit.head(session)
    try:
        for recipient, rows in by_recipient(claimed):
            _send(db, mailer, recipient, rows, kept, now, report)
    finally:
        mailer.close()
    return report


def _send(
    db: Database,
    mailer: Mailer,
    recipient: str,
    rows: Sequence[Claimed],
    kept: tuple[int, str] | None,
    now: datetime,
    report: DeliveryReport,
) -> None:
    """One recipient's digest; its rows marked sent at once (a crash resends at most it)."""
    try:
        mailer.send(digest_of(recipient, rows, kept), now)
    except DeliveryError as error:
        # Not swallowed: logged, kept on the rows, retried after a back-off.
        logger.warning("digest to %s not delivered (%d reminders): %s", recipient, len(rows), error)
        with db.write() as session:
            outbox.mark_failed(session, rows, str(error), now)
        report.rows_failed += len(rows)
        report.errors.append(str(error))
        return
    with db.write() as session:
        report.rows_sent += outbox.mark_sent(session, rows, now)
    report.messages += 1
