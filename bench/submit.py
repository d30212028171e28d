"""Tablets submitting checklists at the same moment, against the bare INSERTs they amount to.

    .venv/bin/python bench/submit.py --sqlite COPY.db [--threads 20] [--rounds 7]
    .venv/bin/python bench/submit.py --pg URL [--threads 20] [--rounds 7]
    .venv/bin/python bench/submit.py --pg-demo 40 365 [--threads 20] [--rounds 7]

COPY.db is a copy of a practice database the bench may write to (e.g. the 3-year demo:
`readiness demo --sites 200 --days 1095`, then `cp`); URL a PostgreSQL database holding
a practice (`readiness --db URL demo ...`); `--pg-demo SITES DAYS` starts a throwaway
PostgreSQL cluster (the test suite's helper), builds the demo practice there and stops
it afterwards. Each round releases --threads threads at once (a barrier), each with its
own Database and session (they queue together: the writers' queue of a process is one
per database), and each records one emergency-kit restock check (`kit-restock`: seven
answers, one of them a new seal number compared with the last one recorded) through the
services the Today page calls:

- `page today`: one write session (`checklist_runs.submit_checklist_as`), as the page
  submitted before it read first: the writers' lock is taken at BEGIN, so every look-up
  queues behind the other tablets;
- `two steps`: `signing.prepare_signed` in a read session, then `record_signed` in a
  write session: only the recording holds the lock.

Two loads: `sites`, each thread a different site's kit, and `one kit`, every thread the
same kit (each compares its seal with the last one, which the others keep changing).
The floor is the same number of threads doing, with the bare driver and the same lock
(BEGIN IMMEDIATE / the writers' advisory lock), what a submission must write: one run
row, its answers, and one audit row chained by SHA-256 to the head, in scratch tables
created for the bench and dropped after. The modes alternate round by round and each
figure is the median over rounds of that round's p50/p95 latency (from the moment all
are released to each one's commit); CPU is the process's user+system time per
submission (the machine is shared: ratios and CPU, not wall time alone). The threads
share one interpreter, so the last of them cannot finish before all their CPU is spent:
`CPU x n` (CPU per submission times the threads) is that bound, and a p95 far above it
is waiting. Afterwards the bench checks that every submission left one run and that the
new audit events are linked.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from readiness import clock
from readiness.access import Principal
from readiness.checklist.in_force import templates_in_force
from readiness.db import WRITER_LOCK_KEY, Database
from readiness.models import Asset, AuditEvent, ChecklistRun, Site, Staff
from readiness.services.checklist_runs import submit_checklist_as
from readiness.services.signing import prepare_signed, record_signed

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "kit-restock"
SCRATCH = (
    "CREATE TABLE bench_runs (id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL,"
    " asset_pk INTEGER, template_id TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE,"
    " submitted_at TEXT NOT NULL, passed BOOLEAN NOT NULL)",
    "CREATE TABLE bench_answers (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,"
    " item_id TEXT NOT NULL, value TEXT, passed BOOLEAN)",
    "CREATE INDEX ix_bench_answers_run ON bench_answers (run_id)",
    "CREATE TABLE bench_audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, after TEXT,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
)


@dataclass(frozen=True)
class Target:
    """One kit to check: its site, the kit's asset id and a staff member who signs."""

    site_code: str
    site_id: int
    asset_pk: int
    asset_id: str
    staff_id: str

    @property
    def user(self) -> Principal:
        """The signer's own account at the site: signing as oneself takes no PIN."""
        return Principal(f"bench-{self.staff_id}", "staff", (self.site_code,), self.staff_id)


def answers(seal: str) -> dict[str, object]:
    """A restock after a drill: everything replaced, a new seal number."""
    return {
        "reason": "Quarterly emergency drill",
        "items_used": "Oxygen mask, one adult auto-injector trainer",
        "restocked": True,
        "contents_checked": True,
        "epi_adult_count": 2,
        "epi_adult_expiry": (date.today() + timedelta(days=300)).isoformat(),
        "kit_seal": seal,
    }


def targets(db: Database, count: int) -> list[Target]:
    """Up to `count` in-service emergency kits at different sites, each with a signer."""
    with db.read() as session:
        rows = session.execute(
            select(Site.code, Site.id, Asset.id, Asset.asset_id, func.min(Staff.staff_id))
            .join(Asset, Asset.site_id == Site.id)
            .join(Staff, (Staff.site_id == Site.id) & Staff.active)
            .where(Site.active, Asset.kind == "emergency_kit", Asset.status == "in_service")
            .group_by(Site.code, Site.id, Asset.id, Asset.asset_id)
            .order_by(Site.code, Asset.asset_id)
        ).all()
    by_site: dict[str, Target] = {}
    for row in rows:
        by_site.setdefault(row[0], Target(*row))
    if not by_site:
        sys.exit("no site with an in-service emergency kit and a staff member: load a practice")
    return list(by_site.values())[:count]


# --- one submission per mode ------------------------------------------------------------


def page_today(db: Database, target: Target, templates: dict[str, Any]) -> None:
    """One write session, the lock from its first read (the Today page before)."""
    with db.write() as session:
        submit_checklist_as(session, target.user, **_form(target, templates))


def two_steps(db: Database, target: Target, templates: dict[str, Any]) -> None:
    """Read, judge and sign in a read session; record under the lock."""
    with db.read() as session:
        prepared = prepare_signed(session, target.user, **_form(target, templates))
    with db.write() as session:
        record_signed(session, target.user, prepared)


def _form(target: Target, templates: dict[str, Any]) -> dict[str, Any]:
    seal = f"S-{random.randint(1_000_000, 9_999_999)}"
    return {
        "site_code": target.site_code,
        "template_id": TEMPLATE,
        "staff_id": target.staff_id,
        "answers": answers(seal),
        "pin": None,
        "now_utc": clock.utc_now(),
        "asset_id": target.asset_id,
        "key": uuid.uuid4().hex,
        "templates": templates,
    }


class Floor:
    """The bare driver writing a run, its answers and a chained audit row, one connection."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        else:
            path = url.removeprefix("sqlite:///")
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout = 30000")
            self.conn.execute("PRAGMA synchronous = NORMAL")

    def submit(self, target: Target) -> None:
        """One submission's writes in one transaction, behind the writers' lock."""
        ph = "%s" if self.postgres else "?"
        cur = self.conn.cursor()
        now = clock.utc_now().isoformat()
        if self.postgres:
            cur.execute("BEGIN")
            cur.execute(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
        else:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(
            "INSERT INTO bench_runs (site_id, asset_pk, template_id, idempotency_key,"
            f" submitted_at, passed) VALUES ({ph}, {ph}, {ph}, {ph}, {ph}, {ph}) RETURNING id",
            (target.site_id, target.asset_pk, TEMPLATE, uuid.uuid4().hex, now, True),
        )
        run_id = cur.fetchone()[0]
        given = answers(f"S-{random.randint(1_000_000, 9_999_999)}")
        cur.executemany(
            "INSERT INTO bench_answers (run_id, item_id, value, passed)"
            f" VALUES ({ph}, {ph}, {ph}, {ph})",
            [(run_id, item, str(value), True) for item, value in given.items()],
        )
        cur.execute("SELECT seq, hash FROM bench_audit ORDER BY seq DESC LIMIT 1")
        seq, prev = cur.fetchone() or (0, "0" * 64)
        after = f'{{"id":{run_id},"answers":{sorted(given.items())!r}}}'
        digest = hashlib.sha256(f"{prev}\n{seq + 1}|{now}|{after}".encode()).hexdigest()
        cur.execute(
            "INSERT INTO bench_audit (seq, at, after, prev_hash, hash)"
            f" VALUES ({ph}, {ph}, {ph}, {ph}, {ph})",
            (seq + 1, now, after, prev, digest),
        )
        cur.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def scratch(db: Database, *, create: bool) -> None:
    """Create (or drop) the floor's scratch tables."""
    with db.engine.begin() as conn:
        for table in ("bench_audit", "bench_answers", "bench_runs"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        if create:
            for statement in SCRATCH:
                conn.execute(text(statement.replace("INTEGER PRIMARY KEY", _pk(db, statement))))


def _pk(db: Database, statement: str) -> str:
    if db.dialect == "postgresql" and "bench_audit" not in statement:
        return "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    return "INTEGER PRIMARY KEY"


# --- rounds --------------------------------------------------------------------------


@dataclass
class Round:
    """One round of one mode: each thread's latency, the process CPU and the wall time."""

    latencies: list[float]
    cpu: float
    wall: float


def run_round(workers: list[Callable[[], None]]) -> Round:
    """Release every worker at once; each latency runs from that moment to the worker's end.

    Timed from the common release, not from when each thread gets going, so the time a
    submission waits for the others (for the lock, for the interpreter) is counted, as a
    person at a tablet would count it.
    """
    barrier = threading.Barrier(len(workers) + 1)
    latencies: list[float] = []
    errors: list[BaseException] = []
    released = [0.0]

    def go(work: Callable[[], None]) -> None:
        barrier.wait()
        try:
            work()
        except BaseException as error:  # reported after the round
            errors.append(error)
        latencies.append(time.perf_counter() - released[0])

    threads = [threading.Thread(target=go, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    before = resource.getrusage(resource.RUSAGE_SELF)
    released[0] = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - released[0]
    after = resource.getrusage(resource.RUSAGE_SELF)
    if errors:
        raise errors[0]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Round(latencies, cpu, wall)


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", help="a copy of a practice database the bench may write to")
    where.add_argument("--pg", help="a PostgreSQL database URL holding a practice")
    where.add_argument(
        "--pg-demo",
        nargs=2,
        type=int,
        metavar=("SITES", "DAYS"),
        help="a throwaway PostgreSQL cluster holding the demo practice of that size",
    )
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if args.pg_demo:
        with throwaway_practice(*args.pg_demo) as url:
            bench(url, args)
        return
    bench(f"sqlite:///{os.path.abspath(args.sqlite)}" if args.sqlite else args.pg, args)


@contextmanager
def throwaway_practice(sites: int, days: int) -> Iterator[str]:
    """A PostgreSQL cluster of its own holding `readiness demo` of that size, then gone."""
    sys.path.insert(0, str(ROOT / "tests"))
    from pgcluster import PgCluster, find_pg_bin_dir  # the test suite's helper

    bin_dir = find_pg_bin_dir()
    if bin_dir is None:
        sys.exit("no PostgreSQL binaries found: install Debian's postgresql package")
    cluster = PgCluster(bin_dir)
    cluster.start()
    try:
        with cluster.connect() as conn:
            conn.execute("CREATE DATABASE practice")
        url = cluster.url("practice")
        cli = [sys.executable, "-m", "readiness.cli", "--db", url]
        print(f"building the demo practice, {sites} sites x {days} days...", file=sys.stderr)
        subprocess.run([*cli, "init"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        demo = [*cli, "demo", "--sites", str(sites), "--days", str(days)]
        subprocess.run(demo, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        yield url
    finally:
        cluster.stop()


def bench(url: str, args: argparse.Namespace) -> None:
    """Alternate the modes round by round on both loads; report, then check the records."""
    main_db = Database(url)
    scratch(main_db, create=True)
    templates = {TEMPLATE: templates_in_force()[TEMPLATE]}
    kits = targets(main_db, args.threads)
    dbs = [Database(url) for _ in range(args.threads)]
    floors = [Floor(url) for _ in range(args.threads)]
    loads = {
        "sites": [kits[n % len(kits)] for n in range(args.threads)],
        "one kit": [kits[0]] * args.threads,
    }
    modes: dict[str, Callable[[int, Target], Callable[[], None]]] = {
        "floor": lambda n, t: lambda: floors[n].submit(t),
        "page today": lambda n, t: lambda: page_today(dbs[n], t, templates),
        "two steps": lambda n, t: lambda: two_steps(dbs[n], t, templates),
    }
    with main_db.read() as session:
        runs_before = session.scalar(select(func.count()).select_from(ChecklistRun)) or 0
        head_before = session.scalar(select(func.max(AuditEvent.seq))) or 0
    submitted = 0
    results: dict[tuple[str, str], list[Round]] = {}
    try:
        for load, chosen in loads.items():
            for mode, make in modes.items():  # warm-up: connections, caches, statements
                run_round([make(n, target) for n, target in enumerate(chosen)])
                submitted += 0 if mode == "floor" else len(chosen)
            for _ in range(args.rounds):
                for mode, make in modes.items():
                    done = run_round([make(n, target) for n, target in enumerate(chosen)])
                    results.setdefault((load, mode), []).append(done)
                    submitted += 0 if mode == "floor" else len(chosen)
    finally:
        for floor in floors:
            floor.close()
        for db in dbs:
            db.dispose()
        scratch(main_db, create=False)
    report(url, args, results)
    check(main_db, runs_before + submitted, head_before)
    main_db.dispose()


def report(url: str, args: argparse.Namespace, results: dict[tuple[str, str], list[Round]]) -> None:
    """One line per load and mode: medians of the rounds' p50/p95, ratio to the floor, CPU."""
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{engine}, {args.threads} threads at once, median of {args.rounds} rounds;"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    heads = ("p50 ms", "p95 ms", "p95/floor", "CPU ms/sub", "CPU x n ms", "wall ms")
    print(f"{'load':<8} {'mode':<11} " + " ".join(f"{head:>10}" for head in heads))
    for load in ("sites", "one kit"):
        floor_p95 = statistics.median(p95(r.latencies) for r in results[(load, "floor")])
        for mode in ("floor", "page today", "two steps"):
            rounds = results[(load, mode)]
            mid50 = statistics.median(statistics.median(r.latencies) for r in rounds) * 1000
            mid95 = statistics.median(p95(r.latencies) for r in rounds)
            cpu = statistics.median(r.cpu / len(r.latencies) for r in rounds) * 1000
            wall = statistics.median(r.wall for r in rounds) * 1000
            print(
                f"{load:<8} {mode:<11} {mid50:>10.1f} {mid95 * 1000:>10.1f}"
                f" {mid95 / floor_p95:>9.1f}x {cpu:>10.2f} {cpu * args.threads:>10.0f}"
                f" {wall:>10.0f}"
            )


def check(db: Database, runs_expected: int, head_before: int) -> None:
    """Every submission left one run; the new audit events are contiguous and linked."""
    with db.read() as session:
        runs = session.scalar(select(func.count()).select_from(ChecklistRun)) or 0
        events = session.execute(
            select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
            .where(AuditEvent.seq >= head_before)
            .order_by(AuditEvent.seq)
        ).all()
    broken = [
        later.seq
        for earlier, later in itertools.pairwise(events)
        if later.seq != earlier.seq + 1 or later.prev_hash != earlier.hash
    ]
    chain = "linked" if not broken else f"BROKEN at seq {broken[:3]}"
    print(
        f"check: {runs - runs_expected:+d} runs against the submissions made"
        f" ({runs_expected} expected); audit chain {chain} over {len(events) - 1} new events"
    )


if __name__ == "__main__":
    main()
