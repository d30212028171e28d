"""Signing in lands on the role's home, a link to a page signs in to it, signing out forgets all,
and a disabled account is shut out at its next click."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, PASSWORD, dashboard_module, sign_in
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from readiness import clock
from readiness.db import Database
from readiness.models import SignInSession
from readiness.services import sessions
from readiness.services.users import disable_user

signin = dashboard_module("signin")


@pytest.fixture
def world(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    build_world(sqlite_db)
    pin_the_clock(monkeypatch, sqlite_db)
    yield sqlite_db


def _titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_a_wrong_password_is_one_sentence_and_forgotten(world: Database) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer", "not the password")
    assert not at.exception
    assert [e.value for e in at.error] == [signin.WRONG]
    assert at.text_input(key="login_password").value == ""
    sign_in(at, "nobody-here", PASSWORD)
    assert [e.value for e in at.error] == [signin.WRONG]  # an unknown name reads the same


def test_a_link_to_a_page_signs_in_to_that_page(world: Database) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/equipment.py").run()
    assert _titles(at) == ["Sign in to Readiness"]
    sign_in(at, "officer")
    assert not at.exception
    assert _titles(at) == ["Equipment"]


def test_signing_out_forgets_the_user_and_their_forms(world: Database) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    assert _titles(at) == ["Readiness overview"]
    assert "Signed in as **officer** · officer" in [c.value for c in at.sidebar.caption]
    at.sidebar.button(key="sign_out").click().run()
    assert not at.exception
    assert _titles(at) == ["Sign in to Readiness"]
    assert signin.TOKEN_KEY not in at.session_state
    at.switch_page("pages/overview.py").run()
    assert _titles(at) == ["Sign in to Readiness"]
    assert not at.dataframe


def test_a_disabled_account_is_shut_out_at_its_next_click(world: Database) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "inspector")
    assert _titles(at) == ["Readiness overview"]
    with world.write() as session:
        disable_user(session, "inspector", actor="test")
    at.switch_page("pages/equipment.py").run()
    assert _titles(at) == ["Sign in to Readiness"]
    assert "Your account was disabled or removed." in [w.value for w in at.warning]
    sign_in(at, "inspector")
    assert [e.value for e in at.error] == [signin.WRONG]


def test_an_idle_session_is_signed_out(world: Database) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    _age_the_session(world, idle=timedelta(hours=8, seconds=1), age=timedelta(hours=9))
    at.run()
    assert _titles(at) == ["Sign in to Readiness"]
    assert [w.value for w in at.warning] == ["You were signed out after 8 hours without activity."]
    assert signin.TOKEN_KEY not in at.session_state


def test_a_busy_session_still_ends_at_its_longest(world: Database) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    _age_the_session(world, idle=timedelta(minutes=1), age=timedelta(hours=12))
    at.run()
    assert _titles(at) == ["Sign in to Readiness"]
    assert [w.value for w in at.warning] == [
        "Sign-ins last at most 12 hours: please sign in again."
    ]
    with world.read() as session:
        assert session.scalars(select(SignInSession.ended_reason)).one() == sessions.TOO_LONG


def _age_the_session(db: Database, *, idle: timedelta, age: timedelta) -> None:
    """Move the one open session back: last seen `idle` ago, opened `age` ago."""
    now = clock.utc_now()
    with db.write() as session:
        session.execute(
            update(SignInSession).values(
                last_seen_at=now - idle, created_at=now - age, expires_at=now - age + (age * 2)
            )
        )
