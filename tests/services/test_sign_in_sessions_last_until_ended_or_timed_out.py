"""A sign-in session: opened with a one-time code, redeemed once for a token kept only as a
digest, resumed until signed out, idle, too old or its user disabled; opening and ending are
audited, a click is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.models import AuditEvent, SignInSession
from readiness.services import sessions
from readiness.services import users as auth

T0 = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
TIMEOUTS = sessions.Timeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8))
PASSWORD = "correct horse battery"


def _user(db: Database, name: str = "ann", role: str = "officer") -> None:
    with db.write() as session:
        auth.create_user(session, username=name, role=role, password=PASSWORD, actor="t")


def _signed_in(db: Database, name: str = "ann", at: datetime = T0) -> str:
    """A session opened and redeemed for `name`; returns the token."""
    with db.write() as session:
        code = sessions.open_session(
            session, name, now=at, timeouts=TIMEOUTS, client="ip:192.0.2.1", user_agent="tablet"
        )
    with db.write() as session:
        redeemed = sessions.redeem(session, code, now=at + timedelta(seconds=5))
    assert redeemed is not None
    token, expires = redeemed
    assert expires == at + TIMEOUTS.absolute
    return token


def _resume(db: Database, token: str, at: datetime) -> sessions.Resumed:
    with db.read() as session:
        return sessions.resume(session, token, now=at, timeouts=TIMEOUTS)


def _actions(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_redeemed_token_resumes_and_only_its_digest_is_stored(db: Database) -> None:
    _user(db)
    token = _signed_in(db)
    resumed = _resume(db, token, T0 + timedelta(minutes=10))
    assert resumed.user is not None and resumed.user.username == "ann"
    assert resumed.ended is None and resumed.touch_due
    with db.read() as session:
        row = session.scalars(select(SignInSession)).one()
        dumped = " ".join(
            str(v) for v in session.execute(text("SELECT * FROM sign_in_sessions")).one()
        )
    assert row.token_hash == sessions.digest(token) and token not in dumped
    assert row.code_hash is None and row.client == "ip:192.0.2.1"
    assert _resume(db, token + "x", T0).user is None  # a guessed token finds nothing


def test_a_code_works_once_and_for_a_minute(db: Database) -> None:
    _user(db)
    with db.write() as session:
        first = sessions.open_session(session, "ann", now=T0, timeouts=TIMEOUTS)
        late = sessions.open_session(session, "ann", now=T0, timeouts=TIMEOUTS)
    with db.write() as session:
        assert sessions.redeem(session, first, now=T0 + timedelta(seconds=30)) is not None
        assert sessions.redeem(session, first, now=T0 + timedelta(seconds=31)) is None
        assert sessions.redeem(session, late, now=T0 + timedelta(seconds=61)) is None
        assert sessions.redeem(session, "not a code", now=T0) is None


def test_idle_and_absolute_timeouts_end_it(db: Database) -> None:
    _user(db)
    token = _signed_in(db)
    busy = T0
    for _ in range(20):  # a click every 25 minutes keeps it open...
        busy += timedelta(minutes=25)
        resumed = _resume(db, token, busy)
        if resumed.ended is not None:
            break
        assert resumed.session_id is not None and resumed.touch_due
        with db.write() as session:
            sessions.touch(session, resumed.session_id, now=busy)
    # ...until its eight hours are up, whatever the activity.
    assert resumed.ended == sessions.TOO_LONG and busy >= T0 + TIMEOUTS.absolute
    other = _signed_in(db, at=T0)
    assert _resume(db, other, T0 + timedelta(minutes=29)).ended is None
    assert _resume(db, other, T0 + timedelta(minutes=30)).ended == sessions.IDLE


def test_a_click_soon_after_the_last_writes_nothing(db: Database) -> None:
    _user(db)
    token = _signed_in(db)
    assert not _resume(db, token, T0 + timedelta(seconds=59)).touch_due
    assert _resume(db, token, T0 + timedelta(seconds=61)).touch_due
    with db.write() as session:
        sessions.touch(
            session, _resume(db, token, T0).session_id or 0, now=T0 + timedelta(minutes=2)
        )
        sessions.touch(
            session, _resume(db, token, T0).session_id or 0, now=T0 + timedelta(minutes=1)
        )
    with db.read() as session:
        assert session.scalars(select(SignInSession.last_seen_at)).one() == T0 + timedelta(
            minutes=2
        )
    assert _actions(db) == ["create", "session_opened"]  # touches are not audited


def test_signing_out_ends_it_for_every_tab(db: Database) -> None:
    _user(db)
    token = _signed_in(db)
    with db.write() as session:
        assert sessions.sign_out(session, token, now=T0)
        assert not sessions.sign_out(session, token, now=T0)
    assert _resume(db, token, T0 + timedelta(seconds=1)).ended == sessions.SIGNED_OUT
    assert _actions(db) == ["create", "session_opened", "session_ended"]
    with db.read() as session:
        assert audit.verify(session).ok


def test_disabling_a_user_ends_their_sessions_only(db: Database) -> None:
    _user(db)
    _user(db, "bob")
    tablet, desk, bobs = _signed_in(db), _signed_in(db), _signed_in(db, "bob")
    with db.write() as session:
        assert auth.disable_user(session, "ann", actor="user:admin")
    assert _resume(db, tablet, T0).ended == sessions.DISABLED
    assert _resume(db, desk, T0).ended == sessions.DISABLED
    assert _resume(db, bobs, T0).user is not None
    with db.read() as session:
        ended = session.scalar(select(func.count()).where(AuditEvent.action == "session_ended"))
        reasons = set(session.scalars(select(SignInSession.ended_reason)))
    assert ended == 2 and reasons == {sessions.DISABLED, None}


@pytest.mark.parametrize("missing", ["", "0" * 43])
def test_no_token_or_an_unknown_one_is_simply_signed_out(db: Database, missing: str) -> None:
    resumed = _resume(db, missing, T0)
    assert resumed.user is None and resumed.ended is None
