"""Benchmark `readiness demo` at practice scale, against a bare-sqlite3 floor.

    .venv/bin/python bench/demo.py [SITES] [DAYS] [--repeat N] [--pg URL] [--seed S]
                                   [--as-of DATE]

Defaults: 200 sites, 1095 days. Builds the demo practice into a temporary SQLite
file (and into the PostgreSQL database at URL, which must be empty, when --pg is
given) and prints the seconds spent per part and table group, and rows per second.

The floor is the same rows (read back from the demo database, audit events
included) inserted into a fresh copy of the same schema with nothing but
`sqlite3.Cursor.executemany`, in one transaction, with the same pragmas (WAL,
synchronous off, a 512 MB page cache, as the demo's build transaction): no ORM,
no snapshots, no hashing. Only the inserts are timed. The ratio demo/floor says
what generating realistic data and auditing it costs over writing the bytes.

The machine may be shared: each figure is given as CPU time of this process
(what the build itself cost) beside wall time, with the load average seen, and
`--repeat N` alternates demo and floor N times and prints the medians.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from readiness.db import Database
from readiness.demo import DemoReport, run_demo
from readiness.demo.transaction import BULK_PRAGMAS
from readiness.migrate import upgrade

FLOOR_CHUNK = 10_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="?", type=int, default=200)
    parser.add_argument("days", nargs="?", type=int, default=1095)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="demo and floor, alternated")
    parser.add_argument(
        "--pg", metavar="URL", help="also build into this empty PostgreSQL database"
    )
    return parser.parse_args(argv)


def build(url: str, args: argparse.Namespace) -> DemoReport:
    """Migrate the database at url and build the demo into it."""
    db = Database(url)
    try:
        upgrade(db.engine)
        return run_demo(
            db, sites=args.sites, days=args.days, seed=args.seed, if_empty=False, as_of=args.as_of
        )
    finally:
        db.dispose()


def print_report(engine: str, report: DemoReport) -> None:
    rows = report.total_rows
    print(f"\n== {engine}: {report.sites} sites x {report.days} days ==")
    print(report.summary())
    print(f"{'part':<28}{'seconds':>10}")
    for part, seconds in sorted(report.seconds.items(), key=lambda kv: -kv[1]):
        print(f"{part:<28}{seconds:>10.2f}")
    print(f"{'total':<28}{report.total_seconds:>10.2f}")
    print(
        f"rows written: {rows:,} ({rows / report.total_seconds:,.0f} rows/s, audit events included)"
    )


def _tables(conn: sqlite3.Connection) -> list[str]:
    """Tables in creation order, so parents are filled before their children."""
    names = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name != 'alembic_version' ORDER BY rowid"
    )
    return [name for (name,) in names]


def _chunks(conn: sqlite3.Connection, table: str) -> Iterator[list[tuple[object, ...]]]:
    cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    while chunk := cursor.fetchmany(FLOOR_CHUNK):
        yield chunk


def floor(source: Path, target_url: str, target: Path) -> tuple[float, float, int]:
    """Seconds (wall, CPU) to insert every row of `source` into the empty schema at `target`."""
    db = Database(target_url)
    upgrade(db.engine)
    db.dispose()
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA foreign_keys = ON")
    # The settings the demo's build transaction runs with (no fsync, a large page
    # cache), so the two compare like with like.
    for name, value in BULK_PRAGMAS.items():
        dst.execute(f"PRAGMA {name} = {value}")
    seconds, cpu, rows = 0.0, 0.0, 0
    dst.execute("BEGIN IMMEDIATE")
    for table in _tables(src):
        columns = [row[1] for row in src.execute(f'PRAGMA table_info("{table}")')]
        marks = ", ".join("?" * len(columns))
        statement = f'INSERT INTO "{table}" VALUES ({marks})'
        for chunk in _chunks(src, table):
            started, used = time.perf_counter(), time.process_time()
            dst.executemany(statement, chunk)
            seconds += time.perf_counter() - started
            cpu += time.process_time() - used
            rows += len(chunk)
    started, used = time.perf_counter(), time.process_time()
    dst.execute("COMMIT")
    seconds += time.perf_counter() - started
    cpu += time.process_time() - used
    src.close()
    dst.close()
    return seconds, cpu, rows


def _load() -> str:
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def _median_line(what: str, wall: list[float], cpu: list[float]) -> str:
    return (
        f"{what}: {statistics.median(cpu):.1f} s CPU, {statistics.median(wall):.1f} s wall"
        f" (median of {len(cpu)}; CPU runs {', '.join(f'{c:.1f}' for c in cpu)})"
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    demo_wall: list[float] = []
    demo_cpu: list[float] = []
    floor_wall: list[float] = []
    floor_cpu: list[float] = []
    print(f"start: {_load()}")
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="readiness-bench-") as folder:
            demo_file = Path(folder) / "demo.db"
            used = time.process_time()
            report = build(f"sqlite:///{demo_file}", args)
            demo_cpu.append(time.process_time() - used)
            demo_wall.append(report.total_seconds)
            print_report("SQLite", report)
            print(f"demo CPU time: {demo_cpu[-1]:.2f} s; {_load()}")
            floor_file = Path(folder) / "floor.db"
            seconds, cpu, rows = floor(demo_file, f"sqlite:///{floor_file}", floor_file)
            floor_wall.append(seconds)
            floor_cpu.append(cpu)
            print(
                f"floor: {rows:,} rows by bare sqlite3 executemany in {seconds:.2f} s wall,"
                f" {cpu:.2f} s CPU ({rows / seconds:,.0f} rows/s);"
                f" demo/floor = {demo_cpu[-1] / cpu:.2f}x CPU,"
                f" {report.total_seconds / seconds:.2f}x wall; {_load()}"
            )
            print(f"database size: {demo_file.stat().st_size / 1e6:,.0f} MB")
    print()
    print(_median_line("demo", demo_wall, demo_cpu))
    print(_median_line("floor", floor_wall, floor_cpu))
    print(
        f"demo/floor: {statistics.median(demo_cpu) / statistics.median(floor_cpu):.2f}x CPU,"
        f" {statistics.median(demo_wall) / statistics.median(floor_wall):.2f}x wall; {_load()}"
    )
    if args.pg:
        print_report("PostgreSQL", build(args.pg, args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
