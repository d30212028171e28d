"""Failures from one client count across user names and lock that client out, not others;
the client is the proxy's last X-Forwarded-For entry only when the proxy is trusted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from readiness.db import Database
from readiness.services import users as auth
from readiness.services.signin import Limits, Outcome, client_key, sign_in

T0 = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
LIMITS = Limits(max_failures=5, client_max_failures=4, lockout=timedelta(minutes=15))
PASSWORD = "correct horse battery"


def attempt(db: Database, name: str, password: str, client: str) -> Outcome:
    return sign_in(
        db, name, password, client=client, limits=LIMITS, now=lambda: T0, sleep=lambda s: None
    )


def test_a_client_spraying_names_is_locked_out_and_others_are_not(db: Database) -> None:
    with db.write() as session:
        auth.create_user(session, username="ann", role="officer", password=PASSWORD, actor="t")
    sprayed = [attempt(db, name, "guess 1234567", "ip:198.51.100.7") for name in "abcd"]
    assert [o.locked_until for o in sprayed[:3]] == [None, None, None]
    assert sprayed[3].locked_until == T0 + timedelta(minutes=15)
    # Even the right password for a name never tried is refused from that client...
    assert attempt(db, "ann", PASSWORD, "ip:198.51.100.7").locked_until is not None
    # ...while ann signs in from elsewhere, and each sprayed name has only one failure.
    assert attempt(db, "ann", PASSWORD, "ip:192.0.2.1").principal is not None
    assert attempt(db, "a", "guess 1234567", "ip:192.0.2.1").locked_until is None


def test_the_client_is_the_address_unless_a_trusted_proxy_says_otherwise() -> None:
    headers = {"X-Forwarded-For": "10.9.9.9, 203.0.113.5"}
    assert client_key(headers, "192.0.2.1", "s1", trusted_proxy=False) == "ip:192.0.2.1"
    assert client_key(headers, "192.0.2.1", "s1", trusted_proxy=True) == "ip:203.0.113.5"
    assert client_key({}, "192.0.2.1", "s1", trusted_proxy=True) == "ip:192.0.2.1"
    assert client_key(headers, None, "s1", trusted_proxy=False) == "session:s1"
    assert client_key({"x-forwarded-for": " "}, None, "s1", trusted_proxy=True) == "session:s1"
