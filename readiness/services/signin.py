"""Signing in with failures counted: a growing wait, then a temporary lockout.

Failures are counted twice, for the user name as typed and for the client (its
address, or its browser session when the address is unknown), in the database so
every dashboard process sees the same counts. Names nobody has are counted like
real ones, and a locked-out attempt still spends one password verification, so
neither the answer nor its cost tells whether a user exists. Every failure, lockout,
reset and lift is an audit event (the password never is).

Unlike other services this one opens its own transactions: the wait happens between
a read and the write, so no write lock is held while a client is kept waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import chain as audit
from readiness.clock import utc_now
from readiness.config import Settings
from readiness.db import Database
from readiness.errors import UserError
from readiness.models.user import SigninThrottle
from readiness.services.users import authenticate, spend_a_verification

KEY_LENGTH = 200
SIGNIN_ACTOR = "signin"
# A reset or a lift: no failures counted, no window, no lockout.
CLEAR: dict[str, object] = {"failures": 0, "window_started_at": None, "locked_until": None}


@dataclass(frozen=True)
class Limits:
    """How many failures lock a user name or a client out, for how long, and the wait cap."""

    max_failures: int = 5
    client_max_failures: int = 20
    lockout: timedelta = timedelta(minutes=15)
    max_delay_s: float = 8.0

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits the settings give."""
        return cls(
            max_failures=settings.signin_max_failures,
            client_max_failures=settings.signin_client_max_failures,
            lockout=timedelta(minutes=settings.signin_lockout_minutes),
            max_delay_s=float(settings.signin_max_delay_s),
        )

    def most(self, kind: str) -> int:
        """The failures that lock a key of this kind out."""
        return self.max_failures if kind == "user" else self.client_max_failures


@dataclass(frozen=True)
class Outcome:
    """What a sign-in attempt came to: the user, or a refusal, maybe with a lockout's end."""

    principal: Principal | None
    locked_until: datetime | None = None
    waited_s: float = 0.0


def delay_for(failures: int, cap: float) -> float:
    """The wait before answering after `failures` recent failures: 0, 1, 2, 4, ... capped."""
    if failures <= 0:
        return 0.0
    return float(min(cap, 2 ** (failures - 1)))


def lockout_message(until: datetime, now: datetime) -> str:
    """The sentence a locked-out person reads; it never says whether the user name exists."""
    minutes = max(1, ceil((until - now).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        "Too many failed sign-ins: signing in is paused. "
        f"Try again in {minutes} {unit} (after {until:%H:%M} UTC)."
    )


def client_key(
    headers: Mapping[str, str],
    remote_ip: str | None,
    session_key: str,
    *,
    trusted_proxy: bool,
) -> str:
    """Who is signing in, for counting: the proxy's word, the address, or the browser session.

    X-Forwarded-For is believed only behind a trusted proxy, and only its last entry
    (the one that proxy added): anything before it the client could have written.
    """
    if trusted_proxy:
        forwarded = {k.lower(): v for k, v in headers.items()}.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return f"ip:{hops[-1]}"[:KEY_LENGTH]
    if remote_ip:
        return f"ip:{remote_ip}"[:KEY_LENGTH]
    return f"session:{session_key}"[:KEY_LENGTH]


def _user_key(username: str) -> str:
    return username.strip().lower()[:KEY_LENGTH]


def _rows(session: Session, username: str, client: str) -> dict[str, SigninThrottle]:
    """The throttle rows of this user name and this client, by kind."""
    wanted = [("user", _user_key(username)), ("client", client)]
    conditions = [(SigninThrottle.kind == k) & (SigninThrottle.key == v) for k, v in wanted]
    found = session.scalars(select(SigninThrottle).where(or_(*conditions))).all()
    return {row.kind: row for row in found if (row.kind, row.key) in wanted}


def live_failures(row: SigninThrottle, now: datetime, limits: Limits) -> int:
    """The row's failures still in their counting window (a window lasts one lockout)."""
    started = row.window_started_at
    if started is None or now - started >= limits.lockout:
        return 0
    return row.failures


def _locked_until(rows: Mapping[str, SigninThrottle], now: datetime) -> datetime | None:
    """The latest lockout end still ahead, if any row is locked."""
    ends = [r.locked_until for r in rows.values() if r.locked_until and r.locked_until > now]
    return max(ends) if ends else None


def sign_in(
    db: Database,
    username: str,
    password: str,
    *,
    client: str,
    limits: Limits,
    now: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Check a password with the throttle: refuse while locked, wait after failures, count."""
    with db.read() as session:
        rows = _rows(session, username, client)
        at = now()
        until = _locked_until(rows, at)
        failures = max((live_failures(r, at, limits) for r in rows.values()), default=0)
    if until is not None:
        spend_a_verification(password)
        return Outcome(None, until)
    wait = delay_for(failures, limits.max_delay_s)
    if wait:
        sleep(wait)
    with db.write() as session:
        audit.lock_chain(session)  # one counter update at a time, across processes
        rows = _rows(session, username, client)
        at = now()
        until = _locked_until(rows, at)  # another process may have locked it meanwhile
        if until is not None:
            spend_a_verification(password)
            return Outcome(None, until, wait)
        principal = authenticate(session, username, password)
        if principal is not None:
            _reset(session, rows.get("user"), principal)
            return Outcome(principal, None, wait)
        until = _count_failure(session, username, client, rows, at, limits)
    return Outcome(None, until, wait)


def _reset(session: Session, row: SigninThrottle | None, principal: Principal) -> None:
    """A successful sign-in clears the user name's count (the client's runs out on its own)."""
    if row is None or (row.failures == 0 and row.locked_until is None):
        return
    _change(session, row, "signin_reset", principal.actor, "reset by a successful sign-in", CLEAR)


def _count_failure(
    session: Session,
    username: str,
    client: str,
    rows: dict[str, SigninThrottle],
    at: datetime,
    limits: Limits,
) -> datetime | None:
    """Count one failure for the user name and the client; the lockout end when one starts."""
    ends = []
    for kind, key in (("user", _user_key(username)), ("client", client)):
        row = rows.get(kind)
        if row is None:
            row = SigninThrottle(kind=kind, key=key, failures=0)
            session.add(row)
        count = live_failures(row, at, limits) + 1
        counted = {"failures": count, "last_failed_at": at}
        if count == 1:
            counted["window_started_at"] = at
        most = limits.most(kind)
        reason = f"sign-in failed for {kind} {key} ({count} of {most})"
        _change(session, row, "signin_failed", _actor(client), reason, counted)
        if count >= most:
            end = at + limits.lockout
            why = f"{kind} {key} locked out until {end:%Y-%m-%d %H:%M} UTC"
            _change(session, row, "signin_lockout", _actor(client), why, {"locked_until": end})
            ends.append(end)
    return max(ends) if ends else None


def _actor(client: str) -> str:
    return f"{SIGNIN_ACTOR}:{client}"[:120]


def _change(
    session: Session,
    row: SigninThrottle,
    action: str,
    actor: str,
    reason: str,
    values: Mapping[str, object],
) -> None:
    """Change the row and audit its new state (a new row has no state before)."""
    before = audit.snapshot(row) if row.id is not None else None
    for column, value in values.items():
        setattr(row, column, value)
    audit.record(session, action, row, actor=actor, before=before, reason=reason)


def lift_lockout(session: Session, by: Principal, kind: str, key: str) -> bool:
    """An admin clears the failures and lockout of a user name or client; False when none."""
    require(by, "manage_users")
    row = session.scalar(
        select(SigninThrottle).where(SigninThrottle.kind == kind, SigninThrottle.key == key)
    )
    if row is None:
        raise UserError(f"no failed sign-ins recorded for {kind} {key!r}")
    if row.failures == 0 and row.locked_until is None:
        return False
    _change(session, row, "lockout_lifted", by.actor, f"lockout of {kind} {key} lifted", CLEAR)
    return True
