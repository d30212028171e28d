"""Benchmark `readiness demo` at practice scale, against a bare-sqlite3 floor.

    .venv/bin/python bench/demo.py [SITES] [DAYS] [--pg URL] [--seed S] [--as-of DATE]

Defaults: 200 sites, 1095 days. Builds the demo practice into a temporary SQLite
file (and into the PostgreSQL database at URL, which must be empty, when --pg is
given) and prints the seconds spent per part and table group, and rows per second.

The floor is the same rows (read back from the demo database, audit events
included) inserted into a fresh copy of the same schema with nothing but
`sqlite3.Cursor.executemany`, in one transaction, with the same pragmas: no ORM,
no snapshots, no hashing. Only the inserts are timed. The ratio demo/floor says
what generating realistic data and auditing it costs over writing the bytes.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from readiness.db import Database
from readiness.demo import DemoReport, run_demo
from readiness.demo.build import SQLITE_CACHE_KIB
from readiness.migrate import upgrade

FLOOR_CHUNK = 10_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="?", type=int, default=200)
    parser.add_argument("days", nargs="?", type=int, default=1095)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
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


def floor(source: Path, target_url: str, target: Path) -> tuple[float, int]:
    """Seconds to insert every row of `source` into the empty schema at `target`."""
    db = Database(target_url)
    upgrade(db.engine)
    db.dispose()
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = NORMAL")
    dst.execute("PRAGMA foreign_keys = ON")
    # The same page cache as the demo uses, so the two compare like for like.
    dst.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    seconds, rows = 0.0, 0
    dst.execute("BEGIN IMMEDIATE")
    for table in _tables(src):
        columns = [row[1] for row in src.execute(f'PRAGMA table_info("{table}")')]
        marks = ", ".join("?" * len(columns))
        statement = f'INSERT INTO "{table}" VALUES ({marks})'
        for chunk in _chunks(src, table):
            started = time.perf_counter()
            dst.executemany(statement, chunk)
            seconds += time.perf_counter() - started
            rows += len(chunk)
    started = time.perf_counter()
    dst.execute("COMMIT")
    seconds += time.perf_counter() - started
    src.close()
    dst.close()
    return seconds, rows


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as folder:
        demo_file = Path(folder) / "demo.db"
        report = build(f"sqlite:///{demo_file}", args)
        print_report("SQLite", report)
        floor_file = Path(folder) / "floor.db"
        seconds, rows = floor(demo_file, f"sqlite:///{floor_file}", floor_file)
        print(
            f"floor: {rows:,} rows by bare sqlite3 executemany in {seconds:.2f} s"
            f" ({rows / seconds:,.0f} rows/s); demo/floor = {report.total_seconds / seconds:.1f}x"
        )
        print(f"database size: {demo_file.stat().st_size / 1e6:,.0f} MB")
    if args.pg:
        print_report("PostgreSQL", build(args.pg, args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
