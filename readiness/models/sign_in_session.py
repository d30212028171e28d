"""Server-side sign-in sessions of the dashboard: one per sign-in, shared by a browser's tabs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, UTCDateTime


class SignInSession(Base):
    """A signed-in browser: who, since when, last seen, until when at the latest, and its end.

    Only SHA-256 digests of the secrets are kept: the token the browser's cookie carries
    and the one-time code that hands it over. Both are 256-bit random values, so a fast
    digest is enough (nobody can guess their way through 2**256) and lets a request find
    its row by the digest; a copy of the database signs nobody in.

    Operational, like the outbox: `last_seen_at` moves every minute of use, and auditing
    each move would drown the trail. Opening and ending a session are audit events
    (`readiness.services.sessions`), so the trail still says who signed in and out, when.
    """

    __tablename__ = "sign_in_sessions"
    __audited__ = False
    __audit_redact__ = frozenset({"token_hash", "code_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # NULL until the one-time code is redeemed for the token.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    # NULL once redeemed: a code works once, for a minute.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The absolute end, however active the browser is.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Why it ended: signed out, user disabled, idle, too long.
    ended_reason: Mapped[str | None] = mapped_column(String(80), default=None)
    # Where it was opened from (address or proxy's word) and the browser's own name.
    client: Mapped[str | None] = mapped_column(String(200), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(300), default=None)
