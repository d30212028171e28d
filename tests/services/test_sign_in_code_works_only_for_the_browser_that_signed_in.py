"""The one-time sign-in code is redeemed only by the browser that signed in: the same
address and browser as recorded at sign-in. Anywhere else it gives nothing and is spent,
so a code read off a log or a screen cannot be used later by the right browser either."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from readiness.db import Database
from readiness.services import sessions
from readiness.services import users as auth

T0 = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
SOON = T0 + timedelta(seconds=5)
TABLET = ("ip:192.0.2.10", "Mozilla/5.0 (iPad) Safari")


def _code(db: Database, client: str | None = TABLET[0], agent: str | None = TABLET[1]) -> str:
    with db.write() as session:
        auth.create_user(
            session, username="ann", role="officer", password="a long password", actor="t"
        )
        return sessions.open_session(
            session, "ann", now=T0, timeouts=sessions.Timeouts(), client=client, user_agent=agent
        )


def _redeem(db: Database, code: str, client: str | None, agent: str | None) -> bool:
    with db.write() as session:
        return sessions.redeem(session, code, now=SOON, client=client, user_agent=agent) is not None


def test_the_browser_that_signed_in_gets_its_cookie(db: Database) -> None:
    assert _redeem(db, _code(db), *TABLET)


@pytest.mark.parametrize(
    "elsewhere",
    [("ip:198.51.100.7", TABLET[1]), (TABLET[0], "curl/8.5.0"), (TABLET[0], "")],
    ids=["another address", "another browser", "no browser named"],
)
def test_another_browser_spends_the_code(db: Database, elsewhere: tuple[str, str]) -> None:
    code = _code(db)
    assert not _redeem(db, code, *elsewhere)
    assert not _redeem(db, code, *TABLET)  # spent: the rightful browser signs in again


def test_a_sign_in_counted_by_its_browser_session_compares_the_browser_only(
    db: Database,
) -> None:
    code = _code(db, client="session:4f1c", agent=TABLET[1])
    assert _redeem(db, code, "ip:192.0.2.99", TABLET[1])
