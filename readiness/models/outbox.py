"""Operational tables of the reminder worker: outbox, heartbeats, the sender lease."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, UTCDateTime


class OutboxMessage(Base):
    __tablename__ = "outbox"
    # Delivery bookkeeping, not evidence: attempts would flood the audit trail.
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    # recipient|requirement|subject|step: queued once however often a pass runs.
    key: Mapped[str] = mapped_column(String(400), unique=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class Heartbeat(Base):
    __tablename__ = "heartbeats"
    __audited__ = False

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    interval_s: Mapped[int] = mapped_column()
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


class SchedulerLease(Base):
    __tablename__ = "scheduler_leases"
    __audited__ = False

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
