"""The reminder pass (`readiness scheduler --once --dry-run`) beside its floor.

    .venv/bin/python bench/reminders.py --db sqlite:///COPY.db [--runs 5] [--at INSTANT]
    .venv/bin/python bench/reminders.py --db postgresql://user@host/name [--runs 5]

`--at 2026-12-05T18:00Z` runs the pass at that instant (the clock pinned, in the command
too), so runs on different days and hours compare: how many digests a pass prints depends
on which sites have passed their 07:00 digest hour. Without it, the pass runs now.

The database must hold a practice (e.g. a copy of the 3-year demo: `readiness demo
--sites 200 --days 1095`); a dry run writes nothing, but use a copy all the same.

The floor is the due/overdue facts by one SQL query through the bare driver: the current
runs of every active site's current slot periods (from the first day of last month, the
longest period, to today), which is what deciding which slots are done needs. Three
lines:

- the whole command in a fresh process (start-up, the compliance engine, the facts, the
  digests printed to /dev/null) beside a fresh process running the floor query, and the
  goal of 2 s of CPU (CPU, not wall: the machine may be shared);
- its start-up and fixed costs: the same command on an empty practice (a database just
  made by `readiness init`: every import, the policy, no site to judge) beside
  `python -c pass`;
- in process, the late-slot facts (`load_late_slots`: every site's slots of today, and
  one query for their runs) beside the same floor query in process;
- in process, the parts of a pass: the engine (`compliance_items`, the compliance
  package's own benchmark is bench/compliance.py), the other facts, and the digests
  composed and printed as the dry run prints them.

Runs alternate and figures are medians with their CPU time (the machine may be shared:
read the ratios and the CPU).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

# Slotted templates only (per-use checks owe no slot); the list lets the query seek the
# (site, template, slot date) index instead of reading every run.
FLOOR_SQL = (
    "SELECT s.code, r.template_id, r.asset_pk, r.slot_date, r.submitted_at"
    " FROM sites s JOIN checklist_runs r ON r.site_id = s.id"
    " AND r.template_id IN ('aed-monthly', 'extinguisher-monthly', 'eyewear-monthly',"
    " 'kit-monthly', 'laser-preuse-daily', 'opening-daily')"
    " AND r.slot_date >= {since} AND r.record_state = 'current'"
    " WHERE s.active"
)

# The floor process: the bare driver, the one query, the rows out as text.
FLOOR_PROCESS = """
import sys
url, sql, since = sys.argv[1], sys.argv[2], sys.argv[3]
if url.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(url.split("///", 1)[1])
    rows = conn.execute(sql.format(since="?"), (since,)).fetchall()
else:
    import psycopg
    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    rows = conn.execute(sql.format(since="%s"), (since,)).fetchall()
sys.stdout.write("\\n".join(map(str, rows)))
"""

# The command as its console script runs it (main() reading its own command line), with
# the clock pinned at argv[1] (`--at`); the rest of argv is the command's.
PINNED_COMMAND = """
import sys
from datetime import datetime
from readiness import clock
at = datetime.fromisoformat(sys.argv[1])
clock.utc_now = lambda: at
from readiness.cli import main
sys.argv = ["readiness", *sys.argv[2:]]
sys.exit(main())
"""


def since(today: date) -> str:
    """The first day of last month: every current slot period starts on or after it."""
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1).isoformat()


def timed_process(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system of the child) of a process, its output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU of a call in this process."""
    cpu, start = time.process_time(), time.perf_counter()
    work()
    return time.perf_counter() - start, time.process_time() - cpu


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall and the median CPU."""
    return (
        statistics.median(wall for wall, _ in samples),
        statistics.median(cpu for _, cpu in samples),
    )


def line(name: str, figure: tuple[float, float], floor: tuple[float, float]) -> str:
    """A figure beside its floor: wall, CPU and both ratios."""
    return (
        f"{name:<34} {figure[0] * 1000:8.0f} ms (CPU {figure[1] * 1000:6.0f})"
        f"   floor {floor[0] * 1000:6.0f} ms (CPU {floor[1] * 1000:5.0f})"
        f"   {figure[0] / floor[0]:5.1f}x (CPU {figure[1] / floor[1]:5.1f}x)"
    )


def dry_run(url: str, at: datetime | None) -> list[str]:
    """The command line of a dry-run pass on the database at `url`, at `at` if given."""
    args = ["--db", url, "scheduler", "--once", "--dry-run"]
    if at is None:
        return [sys.executable, "-m", "readiness.cli", *args]
    return [sys.executable, "-c", PINNED_COMMAND, at.isoformat(), *args]


def whole_command(url: str, runs: int, at: datetime | None, empty_url: str) -> None:
    """The command and the floor process, alternated; then start-up beside a bare Python."""
    today = (at or datetime.now(UTC)).date()
    command = dry_run(url, at)
    floor = [sys.executable, "-I", "-c", FLOOR_PROCESS, url, FLOOR_SQL, since(today)]
    start_up = dry_run(empty_url, at)
    bare = [sys.executable, "-c", "pass"]
    processes = {"command": command, "floor": floor, "start-up": start_up, "bare": bare}
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in processes}
    for _ in range(runs):
        for name, argv in processes.items():
            samples[name].append(timed_process(argv))
    got = {name: medians(found) for name, found in samples.items()}
    print(line("scheduler --once --dry-run", got["command"], got["floor"]))
    verdict = "met" if got["command"][1] <= 2.0 else "not met"
    print(f"{'':<34} goal 2 s of CPU: {verdict}")
    print(line("  of which start-up (no sites)", got["start-up"], got["bare"]))


def empty_practice(folder: str) -> str:
    """The URL of a database `readiness init` just made in `folder`: no sites."""
    url = f"sqlite:///{os.path.join(folder, 'empty.db')}"
    init = [sys.executable, "-m", "readiness.cli", "--db", url, "init"]
    subprocess.run(init, stdout=subprocess.DEVNULL, check=True)
    return url


def in_process(url: str, runs: int, at: datetime | None) -> None:
    """The late-slot facts beside the floor query, and the parts of a pass."""
    from sqlalchemy import text

    from readiness import clock
    from readiness.checklist.lookup import active_sites
    from readiness.config import load_settings
    from readiness.db import Database
    from readiness.reminders.facts import load_facts, load_late_slots
    from readiness.reminders.mailer import PrintMailer
    from readiness.reminders.run import PassSetup, engine_items, preview

    # The demo practice has no officer with an e-mail: its warning, once per pass, is noise here.
    logging.getLogger("readiness.reminders.run").setLevel(logging.ERROR)
    db = Database(url)
    setup = PassSetup.from_settings(load_settings())
    now = at or clock.utc_now()
    floor_sql = text(FLOOR_SQL.format(since=":since"))

    def late_slots() -> None:
        with db.read() as session:
            load_late_slots(
                session, active_sites(session), setup.templates, now, setup.rules.late_after
            )

    def floor() -> None:
        with db.engine.connect() as conn:
            conn.execute(floor_sql, {"since": since(now.date())}).all()

    def engine() -> None:
        with db.read() as session:
            engine_items(session, setup.policy, setup.templates, now)

    def facts() -> None:
        with db.read() as session:
            load_facts(session, setup.templates, now, officer_email=setup.officer_email)

    sender = setup.officer_email or "readiness@localhost"

    def whole_pass() -> None:
        mailer = PrintMailer(sender, io.StringIO())
        for digest in preview(db, setup, now):
            mailer.send(digest, now)

    digests = preview(db, setup, now)

    def printed() -> None:
        mailer = PrintMailer(sender, io.StringIO())
        for digest in digests:
            mailer.send(digest, now)

    parts = {"late": late_slots, "floor": floor, "engine": engine, "facts": facts}
    parts |= {"pass": whole_pass, "printed": printed}
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in parts}
    for _ in range(runs):
        for name, work in parts.items():
            samples[name].append(timed(work))
    got = {name: medians(found) for name, found in samples.items()}
    print(line("late-slot facts, in process", got["late"], got["floor"]))
    print(line("the pass in process (no start-up)", got["pass"], got["floor"]))
    shown = {"engine": "compliance engine", "facts": "all reminder facts"}
    shown["printed"] = f"{len(digests)} e-mails printed"
    for name, what in shown.items():
        wall, cpu = got[name]
        print(f"  of which {what:<24} {wall * 1000:8.0f} ms (CPU {cpu * 1000:6.0f})")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL holding a practice")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--at",
        type=datetime.fromisoformat,
        help="the instant of the pass, e.g. 2026-12-05T18:00Z (default: now)",
    )
    args = parser.parse_args()
    at = args.at if args.at is None or args.at.tzinfo else args.at.replace(tzinfo=UTC)
    url = args.db
    if make_url(url).get_backend_name() == "sqlite":
        url = f"sqlite:///{os.path.abspath(make_url(url).database or '')}"
    print(f"{make_url(url).get_backend_name()}, median of {args.runs} alternated runs;", end=" ")
    print(f"load average {os.getloadavg()[0]:.2f}", end="")
    print(f"; the pass at {at.isoformat()}" if at else "")
    with tempfile.TemporaryDirectory() as folder:
        whole_command(url, args.runs, at, empty_practice(folder))
    in_process(url, args.runs, at)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
