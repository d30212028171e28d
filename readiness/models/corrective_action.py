"""Corrective actions opened by failed checks, drills and incidents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, UTCDateTime

CA_SOURCES = ("checklist", "drill", "incident", "service", "manual")


class CorrectiveAction(Base):
    __tablename__ = "corrective_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int | None] = mapped_column(default=None)
    # The requirement and subject this action keeps `failed` while open.
    requirement: Mapped[str | None] = mapped_column(String(64), default=None)
    subject: Mapped[str | None] = mapped_column(String(64), default=None)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default="major")
    owner_pk: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    due_on: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)
