"""Sign-in sessions: opened after a good password, resumed on every click, ended on purpose.

A sign-in opens a session row and hands out a one-time code (valid for a minute); the
dashboard's cookie route redeems the code for the session's token and sets it as an
HttpOnly cookie, so the token never passes through page code. Each later request
resumes the session by the token: it must be known, not ended, used within the idle
timeout and younger than the absolute one, and its user still active. Every tab of the
browser sends the same cookie, so they share one session; ending it (sign-out, the user
disabled, a timeout) ends it for all of them at their next click, on every replica,
since the rows live in the database.

The database keeps SHA-256 digests of the token and the code, never the values.
Opening and ending are audit events; the minute-by-minute `last_seen_at` is not (see
`SignInSession`). Like every service, these take a session and the caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.config import Settings
from readiness.errors import UserError
from readiness.models import SignInSession, User

CODE_LIFETIME = timedelta(seconds=60)
# How stale `last_seen_at` may get before a click writes it again: at most a minute,
# so an idle timeout is exact to the minute while busy pages write once a minute, not
# on every rerun.
TOUCH_AT_MOST = timedelta(minutes=1)
TOKEN_BYTES = 32

SIGNED_OUT = "signed out"
DISABLED = "user disabled"
PASSWORD_CHANGED = "password changed"
IDLE = "idle"
TOO_LONG = "reached its longest time"


@dataclass(frozen=True)
class Timeouts:
    """How long a session may sit unused, and how long it may last at all."""

    idle: timedelta = timedelta(minutes=480)
    absolute: timedelta = timedelta(hours=12)

    @classmethod
    def of(cls, settings: Settings) -> Timeouts:
        """The timeouts the settings give."""
        return cls(
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_max_hours),
        )

    @property
    def touch_every(self) -> timedelta:
        """How often a busy session records that it was seen."""
        return min(TOUCH_AT_MOST, self.idle / 10)


@dataclass(frozen=True)
class Resumed:
    """A resumed session: its user, or why it cannot go on (`ended`), and whether to touch."""

    user: User | None
    ended: str | None = None
    session_id: int | None = None
    touch_due: bool = False


def digest(secret: str) -> str:
    """The SHA-256 the database keeps instead of a token or code."""
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(
    session: Session,
    username: str,
    *,
    now: datetime,
    timeouts: Timeouts,
    client: str | None = None,
    user_agent: str | None = None,
) -> str:
    """Open a session for a user who just gave the right password; returns its one-time code."""
    user = session.scalar(select(User).where(User.username == username, User.active))
    if user is None:
        raise UserError(f"no active user named {username!r}")
    code = secrets.token_urlsafe(TOKEN_BYTES)
    row = SignInSession(
        user_id=user.id,
        code_hash=digest(code),
        code_expires_at=now + CODE_LIFETIME,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timeouts.absolute,
        client=(client or None) and client[:200],
        user_agent=(user_agent or None) and user_agent[:300],
    )
    session.add(row)
    audit.record(
        session, "session_opened", row, actor=_actor(user), reason=f"{user.username} signed in"
    )
    return code


def redeem(
    session: Session,
    code: str,
    *,
    now: datetime,
    client: str | None = None,
    user_agent: str | None = None,
) -> tuple[str, datetime] | None:
    """The session's new token and its end for a valid one-time code; None otherwise.

    A code works once and for CODE_LIFETIME: a redeemed, late, unknown or ended one gives
    nothing. The token is made here, so it exists only in the answer and the cookie.
    Given the redeeming browser's `client` and `user_agent`, the code also works only
    for the browser that signed in (the address and browser recorded then): a code
    read off a screen or a log is spent, not used, from anywhere else.
    """
    row = session.scalar(select(SignInSession).where(SignInSession.code_hash == digest(code)))
    if row is None:
        return None
    expires = row.code_expires_at
    row.code_hash, row.code_expires_at = None, None  # spent, whatever comes next
    ended = row.revoked_at is not None or expires is None or now > expires
    if ended or now >= row.expires_at or not _same_browser(row, client, user_agent):
        session.flush()
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row.token_hash = digest(token)
    session.flush()
    return token, row.expires_at


def _same_browser(row: SignInSession, client: str | None, user_agent: str | None) -> bool:
    """Whether the redeeming browser is the one that signed in, as far as both were seen.

    Only an address is compared (a sign-in without one was counted by its browser
    session, which a cookie route cannot see).
    """
    address_known = (row.client or "").startswith("ip:")
    if client is not None and address_known and client[:200] != row.client:
        return False
    if user_agent is not None and row.user_agent is not None:
        return user_agent[:300] == row.user_agent
    return True


def resume(session: Session, token: str, *, now: datetime, timeouts: Timeouts) -> Resumed:
    """The user of the session holding `token`, or why it has ended; reads only."""
    if not token:
        return Resumed(None)
    found = session.execute(
        select(SignInSession, User)
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.token_hash == digest(token))
    ).first()
    if found is None:
        return Resumed(None)
    row, user = found
    ended = _why_ended(row, user, now, timeouts)
    if ended is not None:
        return Resumed(None, ended, row.id)
    return Resumed(user, None, row.id, now - row.last_seen_at >= timeouts.touch_every)


def _why_ended(row: SignInSession, user: User, now: datetime, timeouts: Timeouts) -> str | None:
    if row.revoked_at is not None:
        return row.ended_reason or SIGNED_OUT
    if not user.active:
        return DISABLED
    if now >= row.expires_at or now - row.created_at >= timeouts.absolute:
        return TOO_LONG
    if now - row.last_seen_at >= timeouts.idle:
        return IDLE
    return None


def touch(session: Session, session_id: int, *, now: datetime) -> None:
    """Record that the session was used now (never moves `last_seen_at` back)."""
    session.execute(
        update(SignInSession)
        .where(
            SignInSession.id == session_id,
            SignInSession.revoked_at.is_(None),
            SignInSession.last_seen_at < now,
        )
        .values(last_seen_at=now)
    )


def end(session: Session, session_id: int, *, now: datetime, reason: str, actor: str) -> bool:
    """End one session (sign-out, a timeout found); False when it had ended already."""
    row = session.get(SignInSession, session_id)
    if row is None or row.revoked_at is not None:
        return False
    _end(session, row, now=now, reason=reason, actor=actor)
    return True


def sign_out(session: Session, token: str, *, now: datetime) -> bool:
    """End the session holding `token`, by its own user; False when none was open."""
    found = session.execute(
        select(SignInSession, User)
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.token_hash == digest(token))
    ).first()
    if found is None or found[0].revoked_at is not None:
        return False
    row, user = found
    _end(session, row, now=now, reason=SIGNED_OUT, actor=_actor(user))
    return True


def end_all(session: Session, user: User, *, now: datetime, reason: str, actor: str) -> int:
    """End every open session of a user (disabled, say); how many were open."""
    rows = session.scalars(
        select(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .order_by(SignInSession.id)
    ).all()
    for row in rows:
        _end(session, row, now=now, reason=reason, actor=actor)
    return len(rows)


def _end(session: Session, row: SignInSession, *, now: datetime, reason: str, actor: str) -> None:
    before = audit.snapshot(row)
    row.revoked_at, row.ended_reason = now, reason
    row.code_hash, row.code_expires_at = None, None
    audit.record(session, "session_ended", row, actor=actor, before=before, reason=reason)


def _actor(user: User) -> str:
    return f"user:{user.username}"
