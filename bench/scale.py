"""Scale run: a large practice (1,000 sites x 3 years by default) on PostgreSQL.

    .venv/bin/python bench/scale.py [--sites 1000] [--days 1095] [--keep]

Starts a throwaway PostgreSQL cluster (the test suite's, from Debian's or any found
binaries; see tests/pgcluster.py), builds the demo practice into it with
`readiness init` and `readiness demo`, then times, each in a fresh process:

- the demo build itself;
- `readiness status --format json` for the whole practice, beside its floor (the
  facts the engine must read, through the bare driver), by `bench/compliance.py --db`;
- `readiness export` of one site for a year and of every site for a month.

Each figure is printed with its CPU time (user + system of the child), since the
machine may be shared; the floors and their ratios are in the compliance bench's
lines. The cluster is removed at the end (with --keep, at Ctrl+C).
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pgcluster import PgCluster, find_pg_bin_dir  # noqa: E402  (the test suite's helper)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    bin_dir = find_pg_bin_dir()
    if bin_dir is None:
        print("no PostgreSQL binaries found: install Debian's postgresql package", file=sys.stderr)
        return 2
    cluster = PgCluster(bin_dir)
    cluster.start()
    try:
        with cluster.connect() as conn:
            conn.execute("CREATE DATABASE scale")
        url = cluster.url("scale")
        print(f"scale run: {args.sites} sites x {args.days} days on PostgreSQL ({bin_dir})")
        _timed("readiness init", [*_cli(url), "init"])
        _timed(
            "readiness demo",
            [*_cli(url), "demo", "--sites", str(args.sites), "--days", str(args.days)],
        )
        as_of = date.today()
        bench = [sys.executable, str(ROOT / "bench" / "compliance.py"), "--db", url]
        bench += ["--sites", str(args.sites), "--days", str(args.days)]
        subprocess.run([*bench, "--as-of", str(as_of), "--runs", str(args.runs)], check=True)
        _exports(url, as_of)
        if args.keep:
            print(f"the practice stays at {url} until Ctrl+C", flush=True)
            signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of status (median)")
    parser.add_argument("--keep", action="store_true", help="keep the cluster up until Ctrl+C")
    return parser


def _cli(url: str) -> list[str]:
    return [sys.executable, "-m", "readiness.cli", "--db", url]


def _exports(url: str, as_of: date) -> None:
    """One site for a year, every site for a month."""
    first = subprocess.run(
        [*_cli(url), "status", "--format", "json", "--as-of", str(as_of)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    codes = sorted({item["site"] for item in json.loads(first.stdout)})
    year = (as_of - timedelta(days=365), as_of - timedelta(days=1))
    month = (as_of - timedelta(days=30), as_of - timedelta(days=1))
    with tempfile.TemporaryDirectory(prefix="readiness-scale-") as tmp:
        for label, sites, (start, end) in (
            ("export, 1 site, 1 year", codes[:1], year),
            (f"export, {len(codes)} sites, 30 days", codes, month),
        ):
            out = Path(tmp) / "export.xlsx"
            command = [*_cli(url), "export", "--from", str(start), "--to", str(end)]
            command += ["--site", ",".join(sites)]
            _timed(label, [*command, "-o", str(out), "--quiet"])
            print(f"  {out.stat().st_size / 1e6:.1f} MB written")
            out.unlink()


def _timed(label: str, command: list[str]) -> None:
    """Run a command in a fresh process; print its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = after.ru_maxrss / 1024
    print(f"{label:<40} {wall:9.1f} s wall {cpu:9.1f} s CPU (largest child so far {peak:.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
