"""Failed sign-ins lock a user name out: after the set number, until the set time or an
admin lifts it; a success resets the count; known and unknown names behave alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from readiness.access import AccessDenied, Principal
from readiness.audit import chain as audit
from readiness.db import Database
from readiness.models import AuditEvent
from readiness.services import users as auth
from readiness.services.signin import Limits, Outcome, lift_lockout, lockout_message, sign_in

T0 = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
LIMITS = Limits(max_failures=3, client_max_failures=50, lockout=timedelta(minutes=15))
PASSWORD = "correct horse battery"
BOSS = Principal("boss", "admin")


@pytest.fixture
def ann(db: Database) -> Database:
    with db.write() as session:
        auth.create_user(session, username="ann", role="officer", password=PASSWORD, actor="t")
        auth.create_user(session, username="boss", role="admin", password=PASSWORD, actor="t")
    return db


def attempt(
    db: Database, name: str, password: str, at: datetime = T0, client: str = "ip:a"
) -> Outcome:
    return sign_in(
        db, name, password, client=client, limits=LIMITS, now=lambda: at, sleep=lambda s: None
    )


def fail(db: Database, name: str, times: int, at: datetime = T0) -> list[Outcome]:
    return [attempt(db, name, "wrong password", at) for _ in range(times)]


@pytest.mark.parametrize("name", ["ann", "nobody-here"])
def test_the_set_number_of_failures_locks_a_name_out_known_or_not(ann: Database, name: str) -> None:
    first, second, third = fail(ann, name, 3)
    assert first == Outcome(None) and second.locked_until is None
    assert third.principal is None and third.locked_until == T0 + timedelta(minutes=15)
    late = attempt(ann, name, PASSWORD, T0 + timedelta(minutes=14, seconds=59))
    assert late == Outcome(None, T0 + timedelta(minutes=15))
    message = lockout_message(late.locked_until, T0 + timedelta(minutes=14, seconds=59))
    assert "Try again in 1 minute (after 14:15 UTC)" in message and name not in message


def test_the_lockout_ends_at_the_set_time(ann: Database) -> None:
    fail(ann, "ann", 3)
    assert attempt(ann, "ann", PASSWORD, T0 + timedelta(minutes=15)).principal == Principal(
        "ann", "officer"
    )


def test_failures_spread_beyond_the_window_do_not_add_up(ann: Database) -> None:
    fail(ann, "ann", 2)
    later = fail(ann, "ann", 2, T0 + timedelta(minutes=15))
    assert [o.locked_until for o in later] == [None, None]
    assert fail(ann, "ann", 1, T0 + timedelta(minutes=16))[0].locked_until is not None


def test_a_successful_sign_in_resets_the_count(ann: Database) -> None:
    fail(ann, "ann", 2)
    assert attempt(ann, "ann", PASSWORD).principal is not None
    assert [o.locked_until for o in fail(ann, "ann", 2)] == [None, None]
    assert fail(ann, "ann", 1)[0].locked_until is not None


def test_an_admin_lifts_a_lockout_and_only_an_admin(ann: Database) -> None:
    fail(ann, "ann", 3)
    with ann.write() as session, pytest.raises(AccessDenied):
        lift_lockout(session, Principal("ann", "officer"), "user", "ann")
    with ann.write() as session:
        assert lift_lockout(session, BOSS, "user", "ann") is True
    assert attempt(ann, "ann", PASSWORD).principal is not None
    with ann.read() as session:
        lifted = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "lockout_lifted")
        ).all()
    assert [(e.actor, e.entity, e.reason) for e in lifted] == [
        ("user:boss", "signin_throttles", "lockout of user ann lifted")
    ]


def test_each_failure_and_lockout_is_audited_without_the_password(ann: Database) -> None:
    fail(ann, "ann", 3)
    attempt(ann, "ann", "another wrong one", T0 + timedelta(minutes=1))  # refused while locked
    with ann.read() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "signin_throttles")
            .order_by(AuditEvent.seq)
        ).all()
        verified = audit.verify(session)
    user_events = [(e.action, e.reason) for e in events if '"kind":"user"' in (e.after or "")]
    assert user_events == [
        ("signin_failed", "sign-in failed for user ann (1 of 3)"),
        ("signin_failed", "sign-in failed for user ann (2 of 3)"),
        ("signin_failed", "sign-in failed for user ann (3 of 3)"),
        ("signin_lockout", "user ann locked out until 2026-03-09 14:15 UTC"),
    ]
    assert sum(e.action == "signin_failed" for e in events) == 6  # the client's count too
    assert {e.actor for e in events} == {"signin:ip:a"}
    for event in events:
        text = " ".join(str(v) for v in (event.before, event.after, event.reason))
        assert "wrong password" not in text and "another wrong one" not in text
    assert verified.ok, verified.problems


def test_a_locked_attempt_costs_one_verification_known_or_not(
    ann: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail(ann, "ann", 3)
    fail(ann, "nobody-here", 3)
    calls: list[str] = []
    real = auth._HASHER

    class Counting:
        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real.verify(hash_, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(auth, "_HASHER", Counting())
    for name in ("ann", "nobody-here"):
        calls.clear()
        assert attempt(ann, name, PASSWORD).locked_until is not None
        assert calls == [auth._DUMMY_HASH], name
