"""Benchmark `readiness export` (one site, then the whole practice, one year each) against
an openpyxl write-only floor.

    .venv/bin/python bench/export.py [--db URL] [--sites N] [--days D] [--seed S]
                                     [--as-of DATE] [--one CODE] [--repeat N] [--one-only]

Without --db, builds the demo practice (default 50 sites, 400 days) into a temporary
SQLite file first. The period is the year before the demo's as_of.

Each measurement runs in its own fresh process, so peak memory (VmHWM) is that run's
alone, imports included; like `readiness` itself, it leaves pyarrow out
(`readiness.cli.leave_out_pyarrow`) and imports only what its task needs:

* export: `export_workbook` from the database to an .xlsx file (queries, compliance,
  hashing, styles, safe typed cells), timed from the call to the file on disk;
* floor: openpyxl write-only `append` of the very same cell values (as written by the
  export: text made safe, dates as dates), no styles, no database, no hashing. The
  values are dumped to a pickle stream beforehand; only `append` and `save` are timed.

* verify: `check_workbook` of the file the export just wrote (read the sheet XML, hash
  it, regenerate every sheet from the database): its floor is the export's own time.

Each is run --repeat times, alternating, and the median run counts (peak memory: the
largest); the machine may be shared, so compare the ratios rather than the seconds, and
the CPU seconds (median, this process's own) rather than the wall-clock ones.
The ratio export/floor says what the export costs over writing its cells with openpyxl;
verify/export what checking a file costs over making it.
Goals: export within 1.3x of the floor, verify within 1.5x of the export, export peak
memory under 150 MB. --one-only times the one-site export alone (the whole practice takes
many minutes at 200 sites).
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readiness.db import Database

# Every import of the package is made inside the function that needs it: a measured child
# process then holds what its task needs and nothing of the bench's own (the demo builder,
# the migrations), so its peak memory is the export's.

GOAL_RATIO = 1.3
GOAL_VERIFY = 1.5
GOAL_MB = 150


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing database holding the demo practice")
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument(
        "--one", default=None, help="site code of the one-site run (default: first)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each, alternating; the median counts"
    )
    parser.add_argument(
        "--one-only", action="store_true", help="time the one-site export only, not the practice"
    )
    return parser.parse_args(argv)


# --- the measured children ----------------------------------------------------------------


def open_database(url: str) -> Database:
    from readiness.db import Database

    return Database(url)


def child_export(url: str, sites: list[str], start: str, end: str, out: str) -> dict[str, Any]:
    from readiness.export import ExportRequest, export_workbook

    request = ExportRequest(
        tuple(sites),
        date.fromisoformat(start),
        date.fromisoformat(end),
        "bench",
        datetime.now(UTC),
    )
    db = open_database(url)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = export_workbook(db, request, out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db.dispose()
    rows = sum(d.rows for d in result.sheets)
    return {"seconds": seconds, "cpu": cpu, "rows": rows, "sheets": len(result.sheets)}


def child_verify(url: str, path: str) -> dict[str, Any]:
    from readiness.export import check_workbook

    db = open_database(url)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = check_workbook(db, Path(path))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db.dispose()
    if not report.genuine:
        raise SystemExit(f"verify found differences: {report.differences}")
    return {"seconds": seconds, "cpu": cpu, "sheets": report.sheets}


def child_dump(url: str, sites: list[str], start: str, end: str, out: str) -> dict[str, Any]:
    """Write every sheet part's cell values, as the export writes them, to a pickle stream."""
    from readiness.export.build import Rules, context, render, snapshot
    from readiness.export.cells import Toned
    from readiness.export.context import ExportRequest

    class Dump:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def open_part(self, spec: Any, name: str) -> None:
            pickle.dump(("sheet", name), self.stream)
            pickle.dump(("row", spec.headers), self.stream)

        def write(self, row: list[Any]) -> None:
            plain = [v.value if isinstance(v, Toned) else v for v in row]
            pickle.dump(("row", plain), self.stream)

        def close_part(self, rows: int) -> None:
            pass

    request = ExportRequest(
        tuple(sites),
        date.fromisoformat(start),
        date.fromisoformat(end),
        "bench",
        datetime.now(UTC),
    )
    db = open_database(url)
    with open(out, "wb") as stream, snapshot(db) as session:
        ctx = context(session, request, Rules.load())
        render(ctx, lambda: Dump(stream))
    db.dispose()
    return {}


def child_floor(dump: str, out: str) -> dict[str, Any]:
    """openpyxl write-only, raw values, no styles: only append and save are timed."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = None
    seconds, cpu, cells = 0.0, 0.0, 0
    with open(dump, "rb") as stream:
        while True:
            try:
                kind, payload = pickle.load(stream)
            except EOFError:
                break
            started, cpu_started = time.perf_counter(), time.process_time()
            if kind == "sheet":
                sheet = book.create_sheet(payload)
            else:
                assert sheet is not None
                sheet.append(payload)
                cells += len(payload)
            seconds += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
    started, cpu_started = time.perf_counter(), time.process_time()
    book.save(out)
    seconds += time.perf_counter() - started
    cpu += time.process_time() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "cells": cells}


def child(argv: list[str]) -> None:
    """Run one measured task and print its result with peak memory as JSON."""
    from readiness.cli import leave_out_pyarrow

    leave_out_pyarrow()  # as the `readiness` command does, before anything imports pandas
    task, *rest = argv
    if task == "export":
        url, sites, start, end, out = rest
        found = child_export(url, sites.split(","), start, end, out)
    elif task == "verify":
        found = child_verify(*rest)
    elif task == "dump":
        url, sites, start, end, out = rest
        found = child_dump(url, sites.split(","), start, end, out)
    else:
        found = child_floor(*rest)
    found["peak_mb"] = peak_mb()
    print(json.dumps(found))


def peak_mb() -> float:
    """This process's peak resident memory.

    VmHWM, not ru_maxrss: after fork and exec, Linux's ru_maxrss starts from the parent's
    peak, which would credit the bench's own memory (a demo built in-process) to the run.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(*args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench child {args[0]} failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# --- the bench ---------------------------------------------------------------------------


def demo_database(folder: Path, args: argparse.Namespace) -> tuple[str, date]:
    from readiness.demo import run_demo
    from readiness.migrate import upgrade

    url = f"sqlite:///{folder}/demo.db"
    db = open_database(url)
    upgrade(db.engine)
    as_of = args.as_of or date.today()
    print(f"building the demo: {args.sites} sites x {args.days} days (as of {as_of}) ...")
    report = run_demo(
        db, sites=args.sites, days=args.days, seed=args.seed, if_empty=False, as_of=as_of
    )
    db.dispose()
    print(report.summary())
    return url, as_of


def site_codes(url: str) -> list[str]:
    from readiness.models import Site

    db = open_database(url)
    with db.read() as session:
        codes = sorted(session.scalars(Site.__table__.select().with_only_columns(Site.code)))
    db.dispose()
    return codes


def measure(
    url: str, sites: list[str], start: date, end: date, folder: Path, repeat: int
) -> dict[str, Any]:
    """The median of `repeat` alternating export, floor and verify runs (a shared machine
    is noisy)."""
    label = sites[0] if len(sites) == 1 else f"{len(sites)} sites"
    period = (",".join(sites), start.isoformat(), end.isoformat())
    dump = folder / "values.pickle"
    run_child("dump", url, *period, str(dump))
    exports, floors, verifies = [], [], []
    for _ in range(repeat):
        exports.append(run_child("export", url, *period, str(folder / "export.xlsx")))
        floors.append(run_child("floor", str(dump), str(folder / "floor.xlsx")))
        verifies.append(run_child("verify", url, str(folder / "export.xlsx")))
    dump.unlink()
    export, floor, verify = median_run(exports), median_run(floors), median_run(verifies)
    for found, runs in ((export, exports), (floor, floors), (verify, verifies)):
        found["peak_mb"] = max(r["peak_mb"] for r in runs)
        # CPU seconds, steadier than wall time on a shared machine.
        found["cpu"] = statistics.median(r["cpu"] for r in runs)
    return {"case": label, "export": export, "floor": floor, "verify": verify}


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median time (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return dict(ordered[(len(ordered) - 1) // 2])


def report(found: dict[str, Any]) -> str:
    e, f, v = found["export"], found["floor"], found["verify"]
    ratio = e["seconds"] / f["seconds"]
    checked = v["seconds"] / e["seconds"]
    return (
        f"{found['case']:<12}{e['rows']:>10,}{f['cells']:>12,}{e['seconds']:>10.1f}"
        f"{f['seconds']:>10.1f}{ratio:>8.2f}{e['cpu']:>9.1f}{f['cpu']:>9.1f}"
        f"{e['cpu'] / f['cpu']:>8.2f}{e['peak_mb']:>11.0f}{f['peak_mb']:>10.0f}"
        f"{v['seconds']:>10.1f}{checked:>10.2f}{v['peak_mb']:>11.0f}"
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as tmp:
        folder = Path(tmp)
        if args.db:
            url, as_of = args.db, args.as_of or date.today()
        else:
            url, as_of = demo_database(folder, args)
        start, end = as_of - timedelta(days=365), as_of - timedelta(days=1)
        codes = site_codes(url)
        one = args.one or codes[0]
        print(f"\nexport of {start} to {end}; each run in a fresh process")
        print(
            f"{'case':<12}{'rows':>10}{'cells':>12}{'export s':>10}{'floor s':>10}"
            f"{'ratio':>8}{'exp CPU':>9}{'fl CPU':>9}{'CPU rat':>8}"
            f"{'export MB':>11}{'floor MB':>10}"
            f"{'verify s':>10}{'v/export':>10}{'verify MB':>11}"
        )
        results = [measure(url, [one], start, end, folder, args.repeat)]
        if not args.one_only:
            results.append(measure(url, codes, start, end, folder, args.repeat))
        for found in results:
            print(report(found))
        last = results[-1]
        ratio = last["export"]["seconds"] / last["floor"]["seconds"]
        checked = last["verify"]["seconds"] / last["export"]["seconds"]
        peak = last["export"]["peak_mb"]
        print(
            f"goal ({last['case']}): ratio <= {GOAL_RATIO}"
            f" ({'met' if ratio <= GOAL_RATIO else 'NOT met'}),"
            f" verify/export <= {GOAL_VERIFY} ({'met' if checked <= GOAL_VERIFY else 'NOT met'}),"
            f" export peak {peak:.0f} MB < {GOAL_MB} MB ({'met' if peak < GOAL_MB else 'NOT met'})"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
