"""People who sign in to the dashboard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, UTCDateTime

USER_ROLES = ("staff", "officer", "inspector", "admin")


class User(Base):
    __tablename__ = "users"
    # The hash is a secret: the audit trail keeps only a digest of it.
    __audit_redact__ = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # NULL: every site; otherwise the one site this user may see.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), default=None)
    staff_pk: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
