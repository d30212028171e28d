"""The reminder pass (`readiness scheduler --once --dry-run`) beside its floor.

    .venv/bin/python bench/reminders.py --db sqlite:///COPY.db [--runs 5]
    .venv/bin/python bench/reminders.py --db postgresql://user@host/name [--runs 5]

The database must hold a practice (e.g. a copy of the 3-year demo: `readiness demo
--sites 200 --days 1095`); a dry run writes nothing, but use a copy all the same.

The floor is the due/overdue facts by one SQL query through the bare driver: the current
runs of every active site's current slot periods (from the first day of last month, the
longest period, to today), which is what deciding which slots are done needs. Three
lines:

- the whole command in a fresh process (start-up, the compliance engine, the facts, the
  digests printed to /dev/null) beside a fresh process running the floor query, and the
  goal of 2 s;
- in process, the late-slot facts (`load_late_slots`: every site's slots of today, and
  one query for their runs) beside the same floor query in process;
- in process, the parts of a pass: the engine (`compliance_items`, the compliance
  package's own benchmark is bench/compliance.py), the other facts, the digests.

Runs alternate and figures are medians with their CPU time (the machine may be shared:
read the ratios and the CPU).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
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


def whole_command(url: str, runs: int) -> None:
    """The command and the floor process, alternated."""
    command = [sys.executable, "-m", "readiness.cli", "--db", url, "scheduler", "--once"]
    command.append("--dry-run")
    floor = [sys.executable, "-I", "-c", FLOOR_PROCESS, url, FLOOR_SQL, since(date.today())]
    samples: dict[str, list[tuple[float, float]]] = {"command": [], "floor": []}
    for _ in range(runs):
        samples["command"].append(timed_process(command))
        samples["floor"].append(timed_process(floor))
    figure, bare = medians(samples["command"]), medians(samples["floor"])
    print(line("scheduler --once --dry-run", figure, bare))
    verdict = "met" if figure[0] <= 2.0 else "not met"
    print(f"{'':<34} goal 2 s: {verdict}")


def in_process(url: str, runs: int) -> None:
    """The late-slot facts beside the floor query, and the parts of a pass."""
    from sqlalchemy import text

    from readiness import clock
    from readiness.checklist.lookup import active_sites
    from readiness.config import load_settings
    from readiness.db import Database
    from readiness.reminders.facts import load_facts, load_late_slots
    from readiness.reminders.mailer import PrintMailer
    from readiness.reminders.run import PassSetup, engine_items, preview

    db = Database(url)
    setup = PassSetup.from_settings(load_settings())
    now = clock.utc_now()
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

    def whole_pass() -> None:
        mailer = PrintMailer(setup.officer_email or "readiness@localhost", io.StringIO())
        for digest in preview(db, setup, now):
            mailer.send(digest, now)

    parts = {"late": late_slots, "floor": floor, "engine": engine, "facts": facts}
    parts["pass"] = whole_pass
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in parts}
    for _ in range(runs):
        for name, work in parts.items():
            samples[name].append(timed(work))
    got = {name: medians(found) for name, found in samples.items()}
    print(line("late-slot facts, in process", got["late"], got["floor"]))
    print(line("the pass in process (no start-up)", got["pass"], got["floor"]))
    for name, what in (("engine", "compliance engine"), ("facts", "all reminder facts")):
        wall, cpu = got[name]
        print(f"  of which {what:<24} {wall * 1000:8.0f} ms (CPU {cpu * 1000:6.0f})")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL holding a practice")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = args.db
    if make_url(url).get_backend_name() == "sqlite":
        url = f"sqlite:///{os.path.abspath(make_url(url).database or '')}"
    print(f"{make_url(url).get_backend_name()}, median of {args.runs} alternated runs;", end=" ")
    print(f"load average {os.getloadavg()[0]:.2f}")
    whole_command(url, args.runs)
    in_process(url, args.runs)


if __name__ == "__main__":
    main()
