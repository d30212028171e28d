"""People who sign in to the dashboard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
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


THROTTLE_KINDS = ("user", "client")


class SigninThrottle(Base):
    """Failed sign-ins counted for one user name or one client, and the lockout they led to.

    Kept in the database, not in a process, so every dashboard replica counts the same
    failures. Names nobody has are counted too: a lockout must not tell who exists.
    """

    __tablename__ = "signin_throttles"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    # The user name as typed (lower case), or the client's address or browser-session key.
    key: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(default=0)
    # The first failure of the current counting window; the count restarts after it.
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
