"""Staff acknowledging a version of their site's emergency action plan."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, EvidenceMixin, UTCDateTime


class PlanAcknowledgement(EvidenceMixin, Base):
    """One staff member's signed statement that they read one version of a site's plan.

    Evidence: never edited; a mistaken one is voided with a reason. The plan version is
    the SHA-256 of the plan's inputs (`readiness.rules.plan_version`).
    """

    __tablename__ = "plan_acknowledgements"
    __table_args__ = (
        # "Has this person acknowledged this version here?" is asked per site and staff.
        Index("ix_plan_acknowledgements_site_staff", "site_id", "staff_pk", "plan_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    staff_pk: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    plan_version: Mapped[str] = mapped_column(String(64))
    # The site-local day of the signature: the engine's as_of compares with it.
    acknowledged_on: Mapped[date] = mapped_column(Date)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signature_name: Mapped[str] = mapped_column(String(200))
    signature_meaning: Mapped[str] = mapped_column(String(40), default="acknowledged")
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
