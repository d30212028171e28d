"""Benchmark: every compliance item of the demo practice, beside the floor.

The floor is what any engine must at least read: the latest evidence per requirement and
subject (last passing service per asset and kind, latest expiry per staff member and
certificate type, last drill per site and scenario, last review per site and document
type) and the checklist runs of the current slot periods only (as far back per template
as its requirements need, as the engine reads them), not the whole history. The goal is
under 1 second for the whole practice and within 2x of the floor. Engine and floor runs
take turns (medians of --runs, 7 by default), so a busy spell on a shared machine hits
both alike; read the CPU ratio.

The database is timed exactly as `readiness demo` leaves it (the demo gathers the
planner's statistics itself; the bench adds no ANALYZE of its own).

    .venv/bin/python bench/compliance.py                      # SQLite, 200 sites x 1095 days
    .venv/bin/python bench/compliance.py --pg postgresql://user@host/postgres
    .venv/bin/python bench/compliance.py --sites 20 --days 365 --profile
    .venv/bin/python bench/compliance.py --db sqlite:///demo.db --as-of 2026-12-05

It also times the whole command, `readiness status --format json`, in a fresh process
beside a floor process that imports nothing of ours: the same two floor queries through
the bare driver and the rows printed as JSON (alternated runs, medians; the machine may
be shared, so the ratio is the figure to read). A third process only imports what the
command imports, to show how much of the command is start-up. --db times a database built
already (by `readiness demo` with that --as-of) instead of building one.

The demo practice is built once per set of arguments and schema revision and kept: SQLite
files under bench/.cache/ (git-ignored), PostgreSQL databases named after them on the
--pg server. --rebuild builds them again.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import String, create_engine, select, text, type_coerce, union_all
from sqlalchemy.engine import make_url

from readiness.compliance import compliance_items
from readiness.compliance.frames import run_windows
from readiness.db import Database
from readiness.demo import run_demo
from readiness.migrate import head_revision, upgrade
from readiness.models import ChecklistRun, Site
from readiness.policy.pack import load_policy
from readiness.policy.templates import load_templates

ROOT = Path(__file__).resolve().parent.parent

CACHE = ROOT / "bench" / ".cache"
# Latest evidence per requirement and subject, in one statement, on both engines.
LATEST_EVIDENCE_SQL = """
SELECT 'service' AS kind, asset_pk AS subject, kind AS what, MAX(performed_on) AS latest
  FROM service_events WHERE record_state = 'current' AND result = 'pass'
  GROUP BY asset_pk, kind
UNION ALL
SELECT 'certification', staff_pk, cert_type, MAX(expires_on)
  FROM certifications WHERE record_state = 'current' GROUP BY staff_pk, cert_type
UNION ALL
SELECT 'drill', site_id, scenario, MAX(held_at)
  FROM drills WHERE record_state = 'current' GROUP BY site_id, scenario
UNION ALL
SELECT 'document', site_id, doc_type, MAX(reviewed_on)
  FROM site_documents WHERE record_state = 'current' GROUP BY site_id, doc_type
"""


def current_runs_query(site_ids: list[int], runs_from: dict[str, date], as_of: date) -> Any:
    """The checklist runs of the current slot periods: per template from its first needed
    slot date (`run_windows`) to as_of, for the listed sites."""
    starts: dict[date, list[str]] = {}
    for template_id, start in runs_from.items():
        starts.setdefault(start, []).append(template_id)
    parts = [
        select(
            ChecklistRun.site_id,
            ChecklistRun.template_id,
            ChecklistRun.asset_pk,
            ChecklistRun.slot_date,
            # As the driver returns it: no per-row conversion to an aware datetime.
            type_coerce(ChecklistRun.submitted_at, String()).label("submitted_at"),
        ).where(
            ChecklistRun.record_state == "current",
            ChecklistRun.site_id.in_(site_ids),
            ChecklistRun.template_id.in_(sorted(ids)),
            ChecklistRun.slot_date >= start,
            ChecklistRun.slot_date <= as_of,
        )
        for start, ids in sorted(starts.items())
    ]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # The schema revision is part of the key: a practice built on an older schema (other
    # indexes) is not the database the commands leave now.
    key = (
        f"demo-{args.sites}s-{args.days}d-seed{args.seed}-{args.as_of:%Y%m%d}-rev{head_revision()}"
    )
    print(
        f"demo practice {args.sites} sites x {args.days} days, seed {args.seed}, as of {args.as_of}"
    )
    if args.db:
        urls = {make_url(args.db).get_backend_name(): args.db}
    else:
        urls = {"SQLite": _sqlite(key, args)}
        if args.pg:
            urls["PostgreSQL"] = _postgres(key, args)
    for engine, url in urls.items():
        _bench(engine, Database(url), args)
        _bench_command(url, args)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 3, 9))
    parser.add_argument(
        "--runs", type=int, default=7, help="timed runs, engine and floor alternated (medians)"
    )
    parser.add_argument("--pg", metavar="URL", help="also bench PostgreSQL on this server")
    parser.add_argument("--rebuild", action="store_true", help="build the demo again")
    parser.add_argument("--db", metavar="URL", help="time this database instead of building one")
    parser.add_argument("--profile", action="store_true", help="cProfile one engine run")
    return parser


# --- the practice, built once per arguments ------------------------------------------


def _sqlite(key: str, args: argparse.Namespace) -> str:
    """The cached SQLite file of the demo, built first when missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{key}.sqlite"
    if args.rebuild or not path.exists():
        partial = path.with_suffix(".building")
        for stale in CACHE.glob(f"{partial.name}*"):
            stale.unlink()
        _build(f"sqlite:///{partial}", args)
        partial.rename(path)
    return f"sqlite:///{path}"


def _postgres(key: str, args: argparse.Namespace) -> str:
    """A database named after the arguments on the --pg server, built first when missing."""
    server = make_url(args.pg)
    if server.drivername == "postgresql":
        server = server.set(drivername="postgresql+psycopg")
    name = "bench_" + key.replace("-", "_")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists and args.rebuild:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = None
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = server.set(database=name).render_as_string(hide_password=False)
    if not exists:
        try:
            _build(url, args)
        except BaseException:
            with create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            raise
    return url


def _build(url: str, args: argparse.Namespace) -> None:
    print(f"building the demo practice into {make_url(url).render_as_string()} ...", flush=True)
    database = Database(url)
    upgrade(database.engine)
    report = run_demo(
        database, sites=args.sites, days=args.days, seed=args.seed, if_empty=False, as_of=args.as_of
    )
    # Closing the last connection checkpoints the WAL into the file and removes it.
    database.dispose()
    print(report.summary(), flush=True)


# --- timing ---------------------------------------------------------------------------


def _bench(engine: str, database: Database, args: argparse.Namespace) -> None:
    policy, templates = load_policy(), load_templates()
    # Noon UTC of the demo's as_of: every US site is in its as_of day, part way through.
    now = datetime.combine(args.as_of, clock_time(18, 0), tzinfo=UTC)

    def engine_run() -> Any:
        with database.read() as session:
            return compliance_items(session, policy, templates=templates, now_utc=now)

    with database.read() as session:
        site_ids = list(session.scalars(select(Site.id).where(Site.active).order_by(Site.id)))
    runs = current_runs_query(site_ids, run_windows(policy, templates, args.as_of), args.as_of)

    def floor_run() -> Any:
        with database.read() as session:
            latest = session.execute(text(LATEST_EVIDENCE_SQL)).all()
            return [*latest, *session.execute(runs).all()]

    items = engine_run()  # warm caches (and the OS page cache) before timing
    floor_rows = floor_run()
    (engine_s, engine_cpu), (floor_s, floor_cpu) = _alternated(
        engine_run, floor_run, times=args.runs
    )
    counts = items["status"].value_counts()
    print(f"\n{engine} ({database.url.split('@')[-1]})")
    print(
        f"  compliance_items: {len(items):,} items at {items['site'].nunique()} sites"
        f" ({', '.join(f'{n:,} {s}' for s, n in counts.items())})"
    )
    print(
        f"  compliance_items  median of {args.runs}: {engine_s * 1000:8.1f} ms"
        f"  (CPU of this process {engine_cpu * 1000:.1f} ms)"
    )
    print(
        f"  floor (2 queries) median of {args.runs}: {floor_s * 1000:8.1f} ms"
        f"  (CPU {floor_cpu * 1000:.1f} ms; {len(floor_rows):,} rows)"
    )
    print(
        f"  ratio: {engine_s / floor_s:.2f}x the floor"
        f" (CPU: {engine_cpu / floor_cpu:.2f}x, steadier on a busy machine)"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(engine_run)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    database.dispose()


# The whole-command floor: a process with the bare driver, the floor queries, JSON out.
FLOOR_COMMAND = """
import json, sys
url, latest, runs, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
if url.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(url.split(":///", 1)[1])
else:
    import psycopg
    conn = psycopg.connect(url.replace("+psycopg", ""))
cursor = conn.cursor()
rows = cursor.execute(latest).fetchall() + cursor.execute(runs, params).fetchall()
json.dump([[str(v) for v in row] for row in rows], sys.stdout, indent=2)
"""


# What `readiness status` imports before it reads anything: the parser, the engine, the
# database layer and the policy readers (pandas, SQLAlchemy, the models, pydantic).
# The command's imports, in a process set up as the console script sets up its own
# (pyarrow left out, the objects left at exit frozen rather than collected).
STARTUP = (
    "import atexit, gc; atexit.register(gc.freeze);"
    " import readiness.cli; readiness.cli.leave_out_pyarrow();"
    " import readiness.commands.compliance, readiness.compliance, readiness.db,"
    " readiness.policy.pack, readiness.policy.templates"
)


def _bench_command(url: str, args: argparse.Namespace) -> None:
    """`readiness status --format json` in a fresh process beside the floor process."""
    database = Database(url)
    policy, templates = load_policy(), load_templates()
    with database.read() as session:
        site_ids = list(session.scalars(select(Site.id).where(Site.active).order_by(Site.id)))
    runs = current_runs_query(site_ids, run_windows(policy, templates, args.as_of), args.as_of)
    dialect = database.engine.dialect
    compiled = runs.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params: Any = [compiled.params[name] for name in compiled.positiontup or []]
    if dialect.name != "sqlite":
        params = dict(compiled.params)
    database.dispose()
    command = [sys.executable, "-m", "readiness.cli", "--db", url, "status", "--format", "json"]
    command += ["--as-of", str(args.as_of)]
    floor = [sys.executable, "-I", "-c", FLOOR_COMMAND, url, LATEST_EVIDENCE_SQL, str(compiled)]
    floor.append(json.dumps(params, default=str))
    startup = [sys.executable, "-c", STARTUP]
    walls: dict[str, list[float]] = {"command": [], "floor": [], "startup": []}
    cpus: dict[str, list[float]] = {"command": [], "floor": [], "startup": []}
    for _ in range(args.runs):  # alternated, so a busy spell hits all alike
        for name, argv in (("command", command), ("floor", floor), ("startup", startup)):
            started, cpu_started = time.perf_counter(), _children_cpu()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
            walls[name].append(time.perf_counter() - started)
            cpus[name].append(_children_cpu() - cpu_started)
    whole, bare = (statistics.median(walls[name]) for name in ("command", "floor"))
    whole_cpu, bare_cpu = (statistics.median(cpus[name]) for name in ("command", "floor"))
    print(
        f"  readiness status --format json, median of {args.runs}: {whole * 1000:8.1f} ms"
        f"  (CPU {whole_cpu * 1000:.1f} ms)"
    )
    print(
        f"  floor process (driver, 2 queries, JSON):    {bare * 1000:8.1f} ms"
        f"  (CPU {bare_cpu * 1000:.1f} ms)"
    )
    print(f"  ratio: {whole / bare:.2f}x the floor (CPU: {whole_cpu / bare_cpu:.2f}x)")
    start, start_cpu = statistics.median(walls["startup"]), statistics.median(cpus["startup"])
    print(
        f"  of the command, start-up imports alone:     {start * 1000:8.1f} ms"
        f"  (CPU {start_cpu * 1000:.1f} ms, {start_cpu / whole_cpu:.0%} of the command's)"
    )


def _children_cpu() -> float:
    """User and system seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _alternated(*runs: Callable[[], Any], times: int) -> list[tuple[float, float]]:
    """Per run: median wall-clock and median CPU seconds (of this process) of `times` calls,
    the runs taking turns, so a busy spell on a shared machine hits each alike."""
    wall: list[list[float]] = [[] for _ in runs]
    cpu: list[list[float]] = [[] for _ in runs]
    for _ in range(times):
        for number, run in enumerate(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            wall[number].append(time.perf_counter() - started)
            cpu[number].append(time.process_time() - cpu_started)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]


if __name__ == "__main__":
    sys.exit(main())
