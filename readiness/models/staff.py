"""Staff members and their certifications (BLS, ACLS, LSO, ...)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, EvidenceMixin

STAFF_ROLES = (
    "medical_director",
    "physician",
    "np",
    "pa",
    "rn",
    "aesthetician",
    "front_desk",
    "other",
)


class Staff(Base):
    __tablename__ = "staff"
    __audit_redact__ = frozenset({"pin_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    is_lso: Mapped[bool] = mapped_column(default=False)
    # Optional checklist sign-off PIN, argon2 hashed.
    pin_hash: Mapped[str | None] = mapped_column(String(200), default=None)


class Certification(EvidenceMixin, Base):
    __tablename__ = "certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_pk: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    cert_type: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, default=None)
    # True when expires_on was derived from the policy, not read off the card.
    expiry_derived: Mapped[bool] = mapped_column(default=False)
    card_number: Mapped[str | None] = mapped_column(String(80), default=None)
    provider: Mapped[str | None] = mapped_column(String(120), default=None)
