"""Readiness snapshots: whether each site was ready for each scenario at the close of a day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, UTCDateTime


class ReadinessSnapshot(Base):
    """One site, one site-local day, one scenario: ready or not, and how many items blocked it.

    Derived from the audited records (the engine's judgement of them), like the
    heartbeats: not evidence, so not audited. Rows are only ever inserted, never
    updated, so the trend shows what the practice looked like when each day closed.
    """

    __tablename__ = "readiness_snapshots"
    __audited__ = False
    # A job run twice, or two schedulers, cannot write a day twice.
    __table_args__ = (UniqueConstraint("site_id", "day", "scenario"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    # The site's local date whose close the row describes.
    day: Mapped[date] = mapped_column(Date, index=True)
    scenario: Mapped[str] = mapped_column(String(60))
    ready: Mapped[bool] = mapped_column()
    blocking: Mapped[int] = mapped_column()
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
