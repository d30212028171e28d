"""Emergency drills (mock codes) and who took part."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.models.base import Base, EvidenceMixin, UTCDateTime


class Drill(EvidenceMixin, Base):
    __tablename__ = "drills"
    __audit_children__ = ("participants",)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    scenario: Mapped[str] = mapped_column(String(40))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(8))
    time_to_aed_s: Mapped[int | None] = mapped_column(default=None)
    time_to_epinephrine_s: Mapped[int | None] = mapped_column(default=None)
    time_to_oxygen_s: Mapped[int | None] = mapped_column(default=None)
    debrief: Mapped[str | None] = mapped_column(Text, default=None)

    participants: Mapped[list[DrillParticipant]] = relationship(
        back_populates="drill", cascade="all, delete-orphan", order_by="DrillParticipant.staff_pk"
    )


class DrillParticipant(Base):
    __tablename__ = "drill_participants"
    # Audited as part of its drill.
    __audited__ = False

    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id"), primary_key=True)
    staff_pk: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True, index=True)

    drill: Mapped[Drill] = relationship(back_populates="participants")
