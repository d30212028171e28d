"""Two `readiness user add` of one name at once: one user, and for the other the same
"already exists" error (exit 2) on both engines, not an internal error."""

from __future__ import annotations

import subprocess
import sys
import time

from sqlalchemy import func, select, text

from readiness.db import Database
from readiness.models import User
from readiness.services import users as auth

ADD = ["user", "add", "ann", "--role", "officer", "--password-stdin"]


def _waiting_on_a_lock(db: Database) -> bool:
    """True once another PostgreSQL backend waits on a lock (the second add, queued)."""
    with db.engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        return bool(conn.execute(text(query)).scalar())


def _until_queued(db: Database, second: subprocess.Popen[str]) -> None:
    """Wait until the second add is blocked behind the first's open transaction."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and second.poll() is None:
        if db.dialect == "sqlite":
            time.sleep(3)  # SQLite shows no waiters: give the command time to reach the lock
            return
        if _waiting_on_a_lock(db):
            return
        time.sleep(0.05)
    raise AssertionError("the second add never queued behind the first")


def test_two_adds_of_one_name_give_one_user_and_one_clear_error(db: Database) -> None:
    with db.write() as session:
        auth.create_user(
            session, username="ann", role="admin", password="first secret 1", actor="t"
        )
        session.flush()
        second = subprocess.Popen(
            [sys.executable, "-m", "readiness.cli", "--db", db.url, *ADD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert second.stdin is not None
        second.stdin.write("second secret 2\n")
        second.stdin.close()
        _until_queued(db, second)
    second.stdin = None  # closed above: communicate() only reads
    out, err = second.communicate(timeout=60)
    assert (second.returncode, out, err) == (
        2,
        "",
        "readiness: error: a user named 'ann' already exists\n",
    )
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
        assert session.scalar(select(User.role)) == "admin"
