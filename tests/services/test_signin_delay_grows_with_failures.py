"""After failures the answer waits 1, 2, 4, ... seconds, capped, before the password is checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from readiness.db import Database
from readiness.services import users as auth
from readiness.services.signin import Limits, delay_for, sign_in

T0 = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def test_the_wait_doubles_up_to_the_cap_and_a_success_waits_too(db: Database) -> None:
    limits = Limits(max_failures=10, client_max_failures=10, max_delay_s=8)
    with db.write() as session:
        auth.create_user(session, username="ann", role="officer", password=PASSWORD, actor="t")
    waits: list[float] = []

    def attempt(password: str) -> float:
        outcome = sign_in(
            db, "ann", password, client="ip:a", limits=limits, now=lambda: T0, sleep=waits.append
        )
        return outcome.waited_s

    answered = [attempt("wrong password") for _ in range(6)]
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0] and answered == [0.0, *waits]
    waits.clear()
    assert attempt(PASSWORD) == 8.0 and waits == [8.0]
    waits.clear()
    attempt(PASSWORD)  # the success reset the name's count; the client's still stands
    assert waits == [8.0]
    later = sign_in(
        db, "ann", PASSWORD, client="ip:a", limits=limits,
        now=lambda: T0 + timedelta(minutes=15), sleep=waits.append,
    )  # fmt: skip
    assert later.waited_s == 0.0  # the client's window ran out


def test_delay_boundaries() -> None:
    assert [delay_for(n, 8) for n in range(7)] == [0.0, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert delay_for(3, 0) == 0.0
