"""Setting a user's password signs out every browser signed in as that user (the old
password may be known to someone else), leaves other users signed in, and says why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.models import AuditEvent, SignInSession
from readiness.services import sessions
from readiness.services import users as auth

T0 = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
TIMEOUTS = sessions.Timeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8))
PASSWORD = "correct horse battery"


def _signed_in(db: Database, name: str) -> str:
    with db.write() as session:
        code = sessions.open_session(session, name, now=T0, timeouts=TIMEOUTS)
    with db.write() as session:
        redeemed = sessions.redeem(session, code, now=T0 + timedelta(seconds=5))
    assert redeemed is not None
    return redeemed[0]


def _ended(db: Database, token: str) -> str | None:
    with db.read() as session:
        return sessions.resume(
            session, token, now=T0 + timedelta(minutes=1), timeouts=TIMEOUTS
        ).ended


def test_a_new_password_ends_that_users_sessions_only(db: Database) -> None:
    with db.write() as session:
        auth.create_user(session, username="ann", role="officer", password=PASSWORD, actor="t")
        auth.create_user(session, username="bob", role="inspector", password=PASSWORD, actor="t")
    tablet, desk, bobs = _signed_in(db, "ann"), _signed_in(db, "ann"), _signed_in(db, "bob")

    with db.write() as session:
        auth.set_password(session, "ann", "a different long password", actor="user:admin")

    assert _ended(db, tablet) == sessions.PASSWORD_CHANGED
    assert _ended(db, desk) == sessions.PASSWORD_CHANGED
    assert _ended(db, bobs) is None
    with db.read() as session:
        ended = session.scalar(select(func.count()).where(AuditEvent.action == "session_ended"))
        reasons = set(session.scalars(select(SignInSession.ended_reason)))
        assert audit.verify(session).ok
    assert ended == 2 and reasons == {sessions.PASSWORD_CHANGED, None}


def test_the_new_password_signs_in_afterwards(db: Database) -> None:
    with db.write() as session:
        auth.create_user(session, username="ann", role="officer", password=PASSWORD, actor="t")
    _signed_in(db, "ann")
    with db.write() as session:
        auth.set_password(session, "ann", "a different long password", actor="user:admin")
    with db.write() as session:
        assert auth.authenticate(session, "ann", PASSWORD) is None
        assert auth.authenticate(session, "ann", "a different long password") is not None
    assert _ended(db, _signed_in(db, "ann")) is None
