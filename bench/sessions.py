"""What the server-side sign-in session costs each click, against the lookup it replaced.

    .venv/bin/python bench/sessions.py [--clicks 2000] [--repeat 7] [--pg URL]

Every run of a dashboard page checks the sign-in: now `sessions.resume` (find the
session by its token's digest, joined to its user, judge the timeouts) and the user's
principal; before, `users.signed_in` looked the user up by name. A database with 50
users and 2,000 open sessions (a busy month of sign-ins) is made in a temporary SQLite
file (or, with --pg, in a new database on that PostgreSQL server, dropped after); each
figure is the median over --repeat rounds of --clicks lookups, the resume and its floor
alternating round by round (the machine is shared: ratios, not absolute times).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from readiness.db import Database
from readiness.migrate import upgrade
from readiness.models import User
from readiness.services import sessions
from readiness.services import users as auth

NOW = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
USERS = 50
SESSIONS = 2_000
TIMEOUTS = sessions.Timeouts()


@contextmanager
def database(pg: str | None) -> Iterator[Database]:
    """A fresh migrated database: a temporary SQLite file, or a new PostgreSQL database."""
    if pg is None:
        with tempfile.TemporaryDirectory() as folder:
            db = Database(f"sqlite:///{Path(folder)}/bench.db")
            upgrade(db.engine)
            yield db
            db.dispose()
        return
    name = f"bench_sessions_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(pg).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(db.engine)
        yield db
    finally:
        db.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def fill(db: Database) -> list[tuple[str, str]]:
    """Users and open sessions; returns (user name, token) of each session."""
    names = [f"user{n:02d}" for n in range(USERS)]
    with db.write() as session:
        for name in names:
            session.add(User(username=name, role="officer", active=True, created_at=NOW))
    held: list[tuple[str, str]] = []
    with db.write() as session:
        codes = [
            (names[n % USERS], sessions.open_session(session, names[n % USERS], now=NOW,
                                                     timeouts=TIMEOUTS))
            for n in range(SESSIONS)
        ]  # fmt: skip
    with db.write() as session:
        for name, code in codes:
            redeemed = sessions.redeem(session, code, now=NOW)
            assert redeemed is not None
            held.append((name, redeemed[0]))
    return held


def resume_click(db: Database, name: str, token: str) -> None:
    with db.read() as session:
        resumed = sessions.resume(session, token, now=NOW + timedelta(minutes=1), timeouts=TIMEOUTS)
        assert resumed.user is not None
        auth.principal_of(session, resumed.user)


def name_click(db: Database, name: str, token: str) -> None:
    with db.read() as session:
        assert auth.signed_in(session, name) is not None


def timed(
    work: Callable[[Database, str, str], None],
    db: Database,
    held: list[tuple[str, str]],
    clicks: int,
) -> float:
    """Mean seconds per click over `clicks` clicks spread over the sessions."""
    start = time.perf_counter()
    for n in range(clicks):
        name, token = held[(n * 7919) % len(held)]
        work(db, name, token)
    return (time.perf_counter() - start) / clicks  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL server URL (a maintenance db)")
    args = parser.parse_args(argv)
    with database(args.pg) as db:
        held = fill(db)
        figures, floors = [], []
        for _ in range(args.repeat):
            figures.append(timed(resume_click, db, held, args.clicks))
            floors.append(timed(name_click, db, held, args.clicks))
        figure, floor = statistics.median(figures), statistics.median(floors)
    engine = "PostgreSQL" if args.pg else "SQLite"
    print(f"sign-in check per click, {engine}, {SESSIONS} open sessions, {USERS} users")
    print(f"  session resume + principal: {figure * 1e3:.3f} ms (median of {args.repeat})")
    print(f"  floor, user by name + principal (the check it replaced): {floor * 1e3:.3f} ms")
    print(f"  ratio {figure / floor:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
