"""Test infrastructure: a throwaway PostgreSQL cluster and environment checks.

No application imports here. ``conftest.py`` builds its fixtures on this module;
test modules may import its constants (``CHROMIUM_ARGS``) and helpers directly.

The cluster is started the way Debian packages allow as root: the Debian server
binaries under ``/usr/lib/postgresql/<version>/bin`` (highest version wins), ``initdb``
and ``pg_ctl`` run through ``runuser -u postgres --`` when we are root (they refuse to
run as root) and directly otherwise, a data directory in a fresh temporary directory,
a free TCP port on 127.0.0.1 and the Unix socket inside the temporary directory.
Durability is switched off: the cluster lives for one pytest session.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Literal

import psycopg
import pytest
from psycopg import sql

# --------------------------------------------------------------------------- constants

PG_ROOT = Path("/usr/lib/postgresql")
PG_MISSING_REASON = (
    "PostgreSQL server binaries not found under /usr/lib/postgresql; "
    "install postgresql to run these"
)

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_MISSING_REASON = (
    "Chromium not found at /usr/bin/chromium; install chromium (apt-get install chromium) "
    "to run these"
)
# Flags for launching Debian's Chromium headless on these machines:
# playwright's own browser downloads are not available, use executable_path=CHROMIUM_PATH.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

SERVER_SETTINGS: tuple[tuple[str, str], ...] = (
    ("fsync", "off"),
    ("full_page_writes", "off"),
    ("synchronous_commit", "off"),
    ("max_connections", "200"),
)

PG_OS_USER = "postgres"  # OS user that owns and runs the server when we are root
PG_SUPERUSER = "postgres"  # database superuser created by initdb (trust auth)

# --------------------------------------------------------------------------- decisions

Action = Literal["run", "skip", "fail"]


def is_ci(environ: dict[str, str] | None = None) -> bool:
    """True when the environment variable CI says we run under CI ("true", "1", "yes")."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").strip().lower() in {"true", "1", "yes"}


@dataclass(frozen=True)
class Decision:
    """What to do about an external dependency of some tests."""

    action: Action
    reason: str = ""
    path: Path | None = None

    def enforce(self) -> Path:
        """Return the path when usable; otherwise pytest.fail / pytest.skip with the reason."""
        if self.action == "fail":
            pytest.fail(self.reason, pytrace=False)
        if self.action == "skip":
            pytest.skip(self.reason)
        assert self.path is not None
        return self.path


def decide_missing(reason: str, *, ci: bool | None = None) -> Decision:
    """A missing dependency fails under CI=true and skips (one-line reason) otherwise."""
    if is_ci() if ci is None else ci:
        return Decision("fail", f"{reason} (CI=true: a missing dependency is a failure)")
    return Decision("skip", reason)


def _pg_version_key(bin_dir: Path) -> tuple[int, ...]:
    parts = re.findall(r"\d+", bin_dir.parent.name)
    return tuple(int(p) for p in parts) or (0,)


def find_pg_bin_dir(root: Path | None = None) -> Path | None:
    """Highest-version ``<root>/<version>/bin`` that has initdb, pg_ctl and postgres."""
    base = PG_ROOT if root is None else root
    candidates = [
        d
        for d in base.glob("*/bin")
        if all(os.access(d / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))
    ]
    if not candidates:
        return None
    return max(candidates, key=_pg_version_key)


def postgres_decision() -> Decision:
    bin_dir = find_pg_bin_dir()
    if bin_dir is None:
        return decide_missing(PG_MISSING_REASON)
    return Decision("run", path=bin_dir)


def chromium_decision() -> Decision:
    path = CHROMIUM_PATH
    if path.is_file() and os.access(path, os.X_OK):
        return Decision("run", path=path)
    return decide_missing(CHROMIUM_MISSING_REASON)


# --------------------------------------------------------------------------- helpers


def find_free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _world_traversable(path: Path) -> bool:
    """Every directory from / to path can be entered by others (the postgres user)."""
    p = path.resolve()
    for d in [p, *p.parents]:
        try:
            if not d.stat().st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


SHM_DIR = Path("/dev/shm")
SHM_MIN_FREE = 1 << 30


def _temp_parent(as_root: bool) -> str | None:
    """Where the cluster's directory goes: /dev/shm (RAM) when usable, else the temp dir.

    On this machine's disk CREATE DATABASE takes ~100-150 ms; on tmpfs ~10 ms.
    """
    try:
        usable = (
            SHM_DIR.is_dir()
            and os.access(SHM_DIR, os.W_OK | os.X_OK)
            and shutil.disk_usage(SHM_DIR).free >= SHM_MIN_FREE
            and (not as_root or _world_traversable(SHM_DIR))
        )
    except OSError:
        usable = False
    if usable:
        return str(SHM_DIR)
    if not as_root:
        return None
    default = Path(tempfile.gettempdir())
    return None if _world_traversable(default) else "/tmp"


_SAFE_NAME = re.compile(r"[^a-z0-9_]+")


def _db_name(hint: str, counter: int) -> str:
    slug = _SAFE_NAME.sub("_", hint.lower()).strip("_")[:36]
    name = f"t{counter}_{uuid.uuid4().hex[:8]}"
    return f"{name}_{slug}" if slug else name


class ClientError(subprocess.CalledProcessError):
    """A client binary failed; the message carries its stderr."""

    def __str__(self) -> str:
        err = self.stderr
        if isinstance(err, bytes):
            err = err.decode(errors="replace")
        cmd = shlex.join(self.cmd) if isinstance(self.cmd, list) else str(self.cmd)
        return f"{cmd} exited {self.returncode}: {(err or '').strip()}"


@dataclass
class ClusterStats:
    initdb_s: float = 0.0
    start_s: float = 0.0
    create_db_s: list[float] = field(default_factory=list)
    drop_db_s: list[float] = field(default_factory=list)

    def summary(self) -> str:
        def avg_ms(xs: list[float]) -> str:
            return f"{1000 * sum(xs) / len(xs):.0f} ms" if xs else "-"

        return (
            f"PostgreSQL test cluster: initdb {self.initdb_s:.2f} s, start {self.start_s:.2f} s; "
            f"{len(self.create_db_s)} databases, create avg {avg_ms(self.create_db_s)}, "
            f"drop avg {avg_ms(self.drop_db_s)}"
        )


# --------------------------------------------------------------------------- the cluster


class PgCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port>, trust auth, user postgres.

    Useful members for tests: ``host``, ``port``, ``user``, ``bin_dir``, ``url(db)``,
    ``conninfo(db)``, ``connect(db)``, ``psql(sql, db)``, ``run_bin(name, *args)``,
    ``create_database()``, ``drop_database(name)``, ``database_exists(name)``.
    """

    host = "127.0.0.1"
    user = PG_SUPERUSER

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = Path(bin_dir)
        self.port = 0
        self.base_dir: Path | None = None
        self.stats = ClusterStats()
        self._as_root = os.geteuid() == 0
        self._owner_pid = os.getpid()
        self._running = False
        self._admin: psycopg.Connection[Any] | None = None
        self._admin_pid = 0
        self._counter = itertools.count(1)
        self._prev_sigterm: Any = None
        self._sigterm_installed = False

    # paths ---------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        assert self.base_dir is not None, "cluster not started"
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        assert self.base_dir is not None, "cluster not started"
        return self.base_dir

    @property
    def log_file(self) -> Path:
        assert self.base_dir is not None, "cluster not started"
        return self.base_dir / "postgres.log"

    # addresses -----------------------------------------------------------------------
    def url(self, dbname: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        """SQLAlchemy URL, e.g. postgresql+psycopg://postgres@127.0.0.1:PORT/NAME."""
        return f"{driver}://{self.user}@{self.host}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.host, port=self.port, user=self.user, dbname=dbname, connect_timeout=10
        )

    def connect(self, dbname: str = "postgres", autocommit: bool = True) -> psycopg.Connection[Any]:
        return psycopg.connect(self.conninfo(dbname), autocommit=autocommit)

    # processes -----------------------------------------------------------------------
    def _server(
        self, name: str, *args: str, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run a server binary (initdb, pg_ctl) as the postgres OS user when we are root."""
        cmd = [str(self.bin_dir / name), *args]
        if self._as_root:
            cmd = ["runuser", "-u", PG_OS_USER, "--", *cmd]
        return subprocess.run(
            cmd,
            cwd=self.base_dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def client_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for var in ("PGSERVICE", "PGSERVICEFILE", "PGPASSFILE", "PGSSLMODE", "PGOPTIONS"):
            env.pop(var, None)
        env.update(PGHOST=self.host, PGPORT=str(self.port), PGUSER=self.user)
        return env

    def bin_path(self, name: str) -> str:
        candidate = self.bin_dir / name
        if candidate.is_file():
            return str(candidate)
        found = shutil.which(name)
        if found is None:
            raise FileNotFoundError(f"{name} not found in {self.bin_dir} nor on PATH")
        return found

    def run_bin(
        self,
        name: str,
        *args: str | os.PathLike[str],
        check: bool = True,
        input: str | bytes | None = None,
        text: bool = True,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[Any]:
        """Run a client binary (psql, pg_dump, pg_restore, createdb, ...) of this version.

        PGHOST/PGPORT/PGUSER point at the cluster (TCP on 127.0.0.1, trust auth), so
        it works as root. Pass the database with ``-d NAME`` (or as the tool expects).
        Raises CalledProcessError (with stderr in its message) when check and it fails.
        """
        cmd = [self.bin_path(name), *(os.fspath(a) for a in args)]
        proc = subprocess.run(
            cmd,
            env=self.client_env(),
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
            capture_output=True,
            text=text,
            timeout=timeout,
            check=False,
        )
        if check and proc.returncode != 0:
            raise ClientError(proc.returncode, cmd, proc.stdout, proc.stderr)
        return proc

    def psql(self, query: str, dbname: str = "postgres") -> str:
        """Run one SQL string through psql (-X -At, ON_ERROR_STOP); return stdout stripped."""
        proc = self.run_bin("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", dbname, "-c", query)
        return str(proc.stdout).strip()

    # lifecycle -----------------------------------------------------------------------
    def start(self) -> PgCluster:
        if self._running:
            return self
        self.base_dir = Path(
            tempfile.mkdtemp(prefix="readiness-pg-", dir=_temp_parent(self._as_root))
        )
        atexit.register(self._atexit_stop)
        self._install_sigterm_handler()
        try:
            if self._as_root:
                pw = pwd.getpwnam(PG_OS_USER)
                os.chown(self.base_dir, pw.pw_uid, pw.pw_gid)
            t0 = time.perf_counter()
            proc = self._server(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                self.user,
                "--auth=trust",
                "-N",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
            if proc.returncode != 0:
                raise RuntimeError(
                    f"initdb failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
                )
            t1 = time.perf_counter()
            self.stats.initdb_s = t1 - t0
            self._start_server()
            self.stats.start_s = time.perf_counter() - t1
        except BaseException:
            self.stop()
            raise
        return self

    def _start_server(self, attempts: int = 5) -> None:
        last = ""
        for _ in range(attempts):
            self.port = find_free_port(self.host)
            opts = [
                f"-p {self.port}",
                f"-k {shlex.quote(str(self.socket_dir))}",
                f"-c listen_addresses={self.host}",
                *(f"-c {k}={v}" for k, v in SERVER_SETTINGS),
            ]
            log_before = self.log_file.stat().st_size if self.log_file.exists() else 0
            proc = self._server(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                "60",
                "-o",
                " ".join(opts),
                "start",
            )
            if proc.returncode == 0:
                self._running = True
                return
            log = self._read_log(log_before)
            last = f"pg_ctl start failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n{log}"
            if "already in use" not in log and "could not bind" not in log:
                break  # not a port race: retrying will not help
        self._running = True  # a half-started postmaster may exist: let stop() try
        raise RuntimeError(last)

    def _read_log(self, offset: int = 0) -> str:
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as f:
                f.seek(offset)
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Immediate stop and removal of the directory. Idempotent; no-op in forked children."""
        if os.getpid() != self._owner_pid:
            return
        self._close_admin()
        if self._running and self.base_dir is not None and self.data_dir.exists():
            proc = self._server(
                "pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", timeout=60
            )
            if proc.returncode != 0:
                self._kill_postmaster()
        self._running = False
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
        self._restore_sigterm_handler()

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown
        except (OSError, ValueError, IndexError):
            pass

    def _atexit_stop(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()

    # SIGTERM (e.g. a CI timeout) would skip atexit: clean up first, then die as asked.
    def _install_sigterm_handler(self) -> None:
        try:
            current = signal.getsignal(signal.SIGTERM)
            if current not in (signal.SIG_DFL, None):
                return
            self._prev_sigterm = current
            signal.signal(signal.SIGTERM, self._on_sigterm)
            self._sigterm_installed = True
        except ValueError:  # not in the main thread
            pass

    def _restore_sigterm_handler(self) -> None:
        if not self._sigterm_installed:
            return
        try:
            if signal.getsignal(signal.SIGTERM) == self._on_sigterm:
                signal.signal(signal.SIGTERM, self._prev_sigterm or signal.SIG_DFL)
        except ValueError:
            pass
        self._sigterm_installed = False

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() == self._owner_pid:
            self._atexit_stop()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    # databases -----------------------------------------------------------------------
    def _admin_conn(self) -> psycopg.Connection[Any]:
        if self._admin is None or self._admin.closed or self._admin_pid != os.getpid():
            self._admin = self.connect("postgres", autocommit=True)
            self._admin_pid = os.getpid()
        return self._admin

    def _close_admin(self) -> None:
        if self._admin is not None and self._admin_pid == os.getpid():
            with contextlib.suppress(Exception):
                self._admin.close()
        self._admin = None

    def _admin_execute(
        self, stmt: sql.Composable | str, params: Sequence[Any] | None = None
    ) -> list[Any]:
        for attempt in (1, 2):
            try:
                cur = self._admin_conn().execute(stmt, params)  # type: ignore[arg-type]
                return cur.fetchall() if cur.description else []
            except psycopg.OperationalError:
                self._close_admin()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def create_database(self, hint: str = "") -> str:
        """Create a fresh, empty database with a unique name; return the name."""
        name = _db_name(hint, next(self._counter))
        t0 = time.perf_counter()
        self._admin_execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
        )
        self.stats.create_db_s.append(time.perf_counter() - t0)
        return name

    def drop_database(self, name: str) -> None:
        """Terminate lingering connections, then DROP DATABASE ... WITH (FORCE)."""
        t0 = time.perf_counter()
        others = "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        self._admin_execute(f"SELECT pg_terminate_backend(pid) {others}", [name])
        # DROP sleeps in 100 ms steps while backends are still exiting: wait here in 5 ms
        # steps instead (a test's just-closed connections are usually still exiting).
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if not self._admin_execute(f"SELECT 1 {others} LIMIT 1", [name]):
                break
            time.sleep(0.005)
        self._admin_execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        self.stats.drop_db_s.append(time.perf_counter() - t0)

    def database_exists(self, name: str) -> bool:
        rows = self._admin_execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(rows)


def start_cluster(decide: Callable[[], Decision] = postgres_decision) -> PgCluster:
    """Start a cluster, or pytest.fail (CI=true) / pytest.skip when PostgreSQL is missing."""
    bin_dir = decide().enforce()
    return PgCluster(bin_dir).start()
