"""Engine and sessions: SQLite pragmas, write transactions that lock up front, migrations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from readiness.errors import UserError

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "readiness_write"
# Key of the PostgreSQL advisory lock that every write transaction takes first (the audit
# chain's lock: readiness.audit.chain uses the same key).
WRITER_LOCK_KEY = 7_311_020_001


def _sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for memory or other engines."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _install_sqlite_hooks(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout, and BEGIN IMMEDIATE for write transactions.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's
    "begin" event decides how a transaction starts: a deferred transaction that
    reads and then writes fails at once with "database is locked" under
    concurrent writers, whatever the busy timeout, so writers lock up front.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # 64 MB page cache (the default 2 MB makes large imports and the demo slow).
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _install_postgresql_hooks(engine: Engine) -> None:
    """One writer at a time: each write transaction takes the writers' lock first.

    Why a single lock rather than row locks in each service: services read a record, compare
    it with what the form showed (already out of service? still current?) and then write it
    plus an audit event whose "before" is that read. Taking the lock right after BEGIN, before
    anything is read, makes that read-compare-write one step on PostgreSQL exactly as BEGIN
    IMMEDIATE does on SQLite, for every service at once, including the ones written later.
    Under READ COMMITTED each statement after the lock sees every earlier writer's commit.
    The cost is the same as on SQLite: writers queue (they are short; reads never wait).
    """

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")


def make_engine(url: str) -> Engine:
    """An engine for the URL, with the project's per-dialect settings."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = _sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        _install_sqlite_hooks(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        engine = create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True)
        _install_postgresql_hooks(engine)
        return engine
    raise UserError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


class WritersQueue:
    """The writers of one process and database, handed the writers' lock one after another.

    Why: every write session takes the database's writers' lock (BEGIN IMMEDIATE, the
    advisory lock) before it reads. Threads of one process that wait for it there do not
    learn when it frees: SQLite's busy handler sleeps in growing steps (up to 100 ms) and
    retries, so twenty tablets submitting at once waited about a second for writes of a
    few milliseconds each; PostgreSQL queues them on the server, each in its own pooled
    connection. Waiting here first, on a lock that wakes the next thread the moment the
    last one commits, hands the lock over at once; writers in other processes still meet
    the database's lock as before, so the guarantee is the database's, this only queues.

    Not re-entrant on purpose: a thread that opened a second write session while one was
    open would wait for itself (ARCHITECTURE.md, "One writer at a time"); it is told so
    instead.
    """

    def __init__(self, timeout_s: float | None) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None
        self._timeout_s = timeout_s

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the lock for the block: this thread's turn to write."""
        if self._holder == threading.get_ident():
            raise RuntimeError(
                "a write session is already open in this thread: finish it before opening"
                " another (the second would wait for the first forever)"
            )
        if not self._lock.acquire(timeout=-1 if self._timeout_s is None else self._timeout_s):
            raise UserError(
                "The database is busy with another change that is taking long;"
                " try again in a minute."
            )
        self._holder = threading.get_ident()
        try:
            yield
        finally:
            self._holder = None
            self._lock.release()


_QUEUES: dict[str, WritersQueue] = {}
_QUEUES_GUARD = threading.Lock()


def writers_queue(engine: Engine) -> WritersQueue:
    """The one queue of this process's writers to the engine's database.

    Shared by every `Database` opened on the same database in the process (the dashboard
    opens one for its pages and one for its cookie routes), so they queue together. A
    SQLite database in memory is its own (each engine has a different one).
    """
    url = engine.url
    if url.get_backend_name() == "sqlite":
        path = _sqlite_file(url.render_as_string(hide_password=False))
        if path is None:
            return WritersQueue(SQLITE_BUSY_TIMEOUT_MS / 1000)
        key = f"sqlite:{path.resolve()}"
        timeout_s: float | None = SQLITE_BUSY_TIMEOUT_MS / 1000  # as the busy handler would
    else:
        key = url.set(password=None).render_as_string(hide_password=False)
        timeout_s = None  # the advisory lock waits as long as it takes, so this does too
    with _QUEUES_GUARD:
        return _QUEUES.setdefault(key, WritersQueue(timeout_s))


class Database:
    """One database: an engine, read sessions and write sessions that own a transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write = sessionmaker(bind=write_engine, expire_on_commit=False)
        self._writers = writers_queue(self.engine)

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits when the block ends, or rolls back.

        The process's writers take turns first (`WritersQueue`), then the database's lock.
        """
        with self._writers.turn(), self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._read() as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
