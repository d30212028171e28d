"""Staff members and their certifications (BLS, ACLS, LSO, ...)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Date, ForeignKey, String, exists, or_
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
    # Employment dates: owed nothing before hired_on, nor from left_on on (None: unknown,
    # employed since before the records / still employed).
    hired_on: Mapped[date | None] = mapped_column(Date, default=None)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)
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


class StaffAssignment(Base):
    """A staff member working at a site besides their home site, over a span of days."""

    __tablename__ = "staff_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_pk: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # Site-local days, both inclusive; no end: still assigned.
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)


def works_at(site_id: int, day: date) -> ColumnElement[bool]:
    """Staff whose home is the site, or who are assigned to it on the day."""
    assigned = exists().where(
        StaffAssignment.staff_pk == Staff.id,
        StaffAssignment.site_id == site_id,
        StaffAssignment.starts_on <= day,
        or_(StaffAssignment.ends_on.is_(None), StaffAssignment.ends_on >= day),
    )
    return or_(Staff.site_id == site_id, assigned)
