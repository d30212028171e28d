"""Complications and adverse events; patients appear only as a pseudonymous case reference."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, EvidenceMixin, UTCDateTime

INCIDENT_TYPES = (
    "burn",
    "blistering",
    "hyperpigmentation",
    "hypopigmentation",
    "infection",
    "allergic_reaction",
    "anaphylaxis",
    "syncope",
    "laser_eye_exposure",
    "device_malfunction",
    "transfer_to_hospital",
    "other",
)
SEVERITIES = ("minor", "moderate", "major", "critical")
# Stored as the protocol followed when the team followed none (NULL: not recorded, as on
# incidents logged before protocols were named).
NO_PROTOCOL = "none"


class Incident(EvidenceMixin, Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Pseudonymous only: never a patient name or date of birth.
    case_ref: Mapped[str] = mapped_column(String(64))
    incident_type: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(16))
    asset_pk: Mapped[int | None] = mapped_column(ForeignKey("assets.id"), default=None)
    operator_pk: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    actions_taken: Mapped[str | None] = mapped_column(Text, default=None)
    referral: Mapped[str | None] = mapped_column(String(300), default=None)
    transferred: Mapped[bool] = mapped_column(default=False)
    possibly_reportable: Mapped[bool] = mapped_column(default=False)
    report_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    logged_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    # The protocol followed (its name in the protocols file, or NO_PROTOCOL) and its version
    # when logged, e.g. "anaphylaxis:3f2a9c1b7d10", as printed under it in the plan.
    protocol: Mapped[str | None] = mapped_column(String(60), default=None)
    protocol_version: Mapped[str | None] = mapped_column(String(80), default=None)
    # Why no protocol, or another than the type's, was followed.
    protocol_reason: Mapped[str | None] = mapped_column(String(300), default=None)


class IncidentFollowup(Base):
    __tablename__ = "incident_followups"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
