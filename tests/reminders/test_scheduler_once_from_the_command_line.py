"""`readiness scheduler --once`: one digest per recipient, nothing new the second time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from reminder_world import ANA, LEE, OFFICER, SENDER, TUESDAY_9AM, build_practice

from readiness import clock
from readiness.cli import main
from readiness.db import Database
from readiness.reminders.scheduler import heartbeat_status

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer) -> pytest.MonkeyPatch:
    """Settings pointing at the test SMTP server, and the clock at Tuesday 09:00 in Chicago."""
    monkeypatch.setenv("READINESS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("READINESS_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("READINESS_SMTP_FROM", SENDER)
    monkeypatch.delenv("READINESS_OFFICER_EMAIL", raising=False)
    at(monkeypatch, TUESDAY_9AM)
    return monkeypatch


def at(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: now)


def test_once_delivers_one_digest_per_recipient_then_nothing_new(
    db: Database,
    smtp_server: SmtpServer,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_practice(db)
    assert main(["--db", db.url, "scheduler", "--once"]) == 0
    assert sorted(smtp_server.recipients()) == sorted([ANA, LEE, OFFICER])
    assert "3 digests sent" in capsys.readouterr().out

    at(env, TUESDAY_9AM + timedelta(minutes=5))
    assert main(["--db", db.url, "scheduler", "--once"]) == 0
    assert len(smtp_server.messages) == 3
    assert "0 reminders queued" in capsys.readouterr().out

    with db.read() as session:
        beats = heartbeat_status(session, TUESDAY_9AM + timedelta(minutes=6))
    assert set(beats["job"]) == {
        "reminder-pass",
        "daily-digest America/Chicago",
        "weekly-summary",
    }
    assert not beats["late"].any()


def test_the_configured_officer_address_stands_in_for_officer_users(
    db: Database, smtp_server: SmtpServer, env: pytest.MonkeyPatch
) -> None:
    build_practice(db, officer=False)
    env.setenv("READINESS_OFFICER_EMAIL", "compliance@clinic.test")
    assert main(["--db", db.url, "scheduler", "--once"]) == 0
    assert "compliance@clinic.test" in smtp_server.recipients()


def test_with_the_mail_server_down_it_says_so_and_exits_non_zero(
    db: Database,
    smtp_server: SmtpServer,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_practice(db)
    smtp_server.stop()
    assert main(["--db", db.url, "scheduler", "--once"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "stay queued" in err[0] and "Connection refused" in err[0]
    with db.read() as session:
        beats = heartbeat_status(session, TUESDAY_9AM).set_index("job")
    assert "Connection refused" in str(beats.loc["reminder-pass", "last_error"])


def test_dry_run_prints_the_messages(
    db: Database,
    smtp_server: SmtpServer,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_practice(db)
    assert main(["--db", db.url, "scheduler", "--once", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"To: {ANA}" in out and "Subject: Readiness:" in out
    assert "dry run: 3 digests would be sent" in out
    assert smtp_server.messages == []
