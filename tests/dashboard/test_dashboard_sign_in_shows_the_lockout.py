"""The sign-in page tells a locked-out person when to try again, the same for any name;
the admin page lists failed sign-ins and lifts a lockout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from signin_helpers import APP, PASSWORD, dashboard_module, make_user, sign_in
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.services.signin import Limits, lockout_message
from readiness.services.signin import sign_in as service_sign_in

signin = dashboard_module("signin")
PAUSED = "Too many failed sign-ins: signing in is paused. Try again in "


def _titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def _lock(db: Database, name: str) -> None:
    """Five wrong passwords for the name from some other client (the default limit)."""
    for _ in range(5):
        service_sign_in(
            db,
            name,
            "wrong password",
            client="ip:203.0.113.9",
            limits=Limits(),
            sleep=lambda s: None,
        )


@pytest.fixture
def app_db(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("READINESS_DB_URL", sqlite_db.url)
    make_user(sqlite_db, "officer")
    make_user(sqlite_db, "admin")
    return sqlite_db


def test_a_locked_name_is_told_when_to_try_again_known_or_not(app_db: Database) -> None:
    _lock(app_db, "officer")
    _lock(app_db, "nobody-here")
    at = AppTest.from_file(APP, default_timeout=60).run()
    for name in ("officer", "nobody-here"):
        sign_in(at, name, PASSWORD)
        assert not at.exception
        assert _titles(at) == ["Sign in to Readiness"]
        assert [e.value[: len(PAUSED)] for e in at.error] == [PAUSED], name
        assert name not in at.error[0].value
    assert signin.TOKEN_KEY not in at.session_state


def test_the_form_locks_out_after_the_set_failures(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_SIGNIN_MAX_FAILURES", "2")
    monkeypatch.setenv("READINESS_SIGNIN_MAX_DELAY_SECONDS", "0")
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer", "not the password")
    assert [e.value for e in at.error] == [signin.WRONG]
    sign_in(at, "officer", "not the password")
    assert [e.value[: len(PAUSED)] for e in at.error] == [PAUSED]
    sign_in(at, "officer", PASSWORD)
    assert _titles(at) == ["Sign in to Readiness"]


def test_the_admin_sees_the_lockout_and_lifts_it(app_db: Database) -> None:
    _lock(app_db, "officer")
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "admin")
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "Locked until" in d.value.columns)
    officer = shown[(shown["Kind"] == "user") & (shown["Key"] == "officer")]
    assert officer["Failures"].tolist() == [5]
    assert (officer["Locked until"] != "").all()
    at.selectbox(key="lift_key").select("user officer")
    at.button(key="lift_submit").click().run()
    assert not at.exception
    assert "Lifted the lockout of user officer." in [s.value for s in at.success]
    again = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(again, "officer")
    assert not again.error and signin.TOKEN_KEY in again.session_state
    assert "Signed in as **officer** · officer" in [c.value for c in again.sidebar.caption]


def test_a_lockout_message_counts_whole_minutes_up() -> None:
    now = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert lockout_message(now + timedelta(minutes=15), now).endswith(
        "Try again in 15 minutes (after 14:15 UTC)."
    )
    assert "in 1 minute (after 14:00 UTC)" in lockout_message(now + timedelta(seconds=1), now)
