"""Benchmark `readiness import` on a large CSV and a large XLSX against their reading floors.

    .venv/bin/python bench/import.py [--csv-mb 200] [--xlsx-rows 300000] [--keep DIR]

Generates an assets CSV of --csv-mb MB and an assets XLSX of --xlsx-rows rows (random-ish
text, so neither compresses to nothing), then measures, each in a fresh process so that
peak memory (ru_maxrss) is that run's alone, imports included:

* csv, default limit: `import_file` (dry run) with READINESS_IMPORT_MAX_MB unset: a file
  over 50 MB is refused before it is read;
* csv, limit raised: the same with the limit above the file, so rows stream through
  validation (against 200 stored sites) until the row limit (100,000) refuses the file,
  or, for a file within it, are matched and written in a transaction rolled back;
* xlsx, limit raised: the same for the workbook (openpyxl read-only, streamed);
* floors: the csv module iterating every record of the same file, and openpyxl's
  read-only mode iterating every row's values of the same workbook (nothing kept).

Prints each figure beside its floor and the ratio (time and peak MB). The import stops
at the row limit, so on files past it its time can be below the floor's: the point is
that its memory stays bounded whatever the file holds.
Do not run at full size on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = ["asset_id", "site_code", "kind", "name", "manufacturer", "model", "serial_number"]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-mb", type=float, default=200.0, help="size of the CSV (MB)")
    parser.add_argument("--xlsx-rows", type=int, default=300_000, help="rows of the XLSX")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "FILE"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _row(n: int, noise: random.Random) -> list[str]:
    return [
        f"A-{n:08d}",
        f"S{n % 200:03d}",
        "aed",
        f"AED {noise.getrandbits(40):x}",
        "Acme",
        "Model X",
        f"SN{noise.getrandbits(64):x}",
    ]


def write_csv(path: Path, megabytes: float) -> None:
    """An assets CSV of about `megabytes` MB."""
    noise = random.Random(7)
    target = int(megabytes * 2**20)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        n = 0
        while handle.tell() < target:
            writer.writerows(_row(n + i, noise) for i in range(10_000))
            n += 10_000


def write_xlsx(path: Path, rows: int) -> None:
    """An assets workbook of `rows` rows, written in openpyxl's write-only mode."""
    import openpyxl

    noise = random.Random(7)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(_row(n, noise))
    book.save(path)


def child(what: str, file: str) -> None:
    """One measurement in this fresh process; prints seconds, peak MB and the outcome."""
    path = Path(file)
    start = time.perf_counter()
    if what == "import":
        from readiness.db import Database
        from readiness.importing.run import import_file
        from readiness.migrate import upgrade

        db = Database(f"sqlite:///{path.parent / 'bench-import.db'}")
        upgrade(db.engine)
        # The 200 sites the assets belong to, so that rows are valid and go the whole way.
        sites = path.parent / "sites.csv"
        sites.write_text(
            "code,name,timezone\n"
            + "".join(f"S{n:03d},Site {n},America/Chicago\n" for n in range(200))
        )
        import_file(db, "sites", sites, dry_run=False, actor="bench")
        start = time.perf_counter()
        report = import_file(db, "assets", path, dry_run=True, actor="bench")
        errors = report.errors
        outcome = f"{len(errors)} errors; first: {errors[0] if errors else '-'}"
    elif what == "csv-floor":
        with path.open(newline="", encoding="utf-8") as handle:
            count = sum(1 for _ in csv.reader(handle))
        outcome = f"{count:,} records read"
    else:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        outcome = f"{count:,} rows read"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))


def measure(what: str, path: Path, env: dict[str, str]) -> dict[str, float | str]:
    """Run one measurement in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", what, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, float | str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def show(label: str, figure: dict[str, float | str], floor: dict[str, float | str]) -> None:
    """One line: time and peak memory of the figure, its floor and the ratios."""
    fs, ff = float(figure["seconds"]), float(floor["seconds"])
    ms, mf = float(figure["peak_mb"]), float(floor["peak_mb"])
    print(
        f"{label:<24} {fs:8.2f} s vs {ff:7.2f} s ({fs / ff:5.2f}x)"
        f"   peak {ms:7.0f} MB vs {mf:5.0f} MB ({ms / mf:5.2f}x)"
    )
    print(f"{'':<24} import: {figure['outcome']}")
    print(f"{'':<24} floor:  {floor['outcome']}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        big_csv, big_xlsx = folder / "assets.csv", folder / "assets.xlsx"
        write_csv(big_csv, args.csv_mb)
        write_xlsx(big_xlsx, args.xlsx_rows)
        print(
            f"files: {big_csv.stat().st_size / 2**20:,.1f} MB CSV,"
            f" {big_xlsx.stat().st_size / 2**20:,.1f} MB XLSX ({args.xlsx_rows:,} rows)"
        )
        base = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
        raised = base | {"READINESS_IMPORT_MAX_MB": str(int(args.csv_mb) + 10)}
        csv_floor = measure("csv-floor", big_csv, base)
        show("csv, default limit", measure("import", big_csv, base), csv_floor)
        show("csv, limit raised", measure("import", big_csv, raised), csv_floor)
        xlsx_floor = measure("xlsx-floor", big_xlsx, base)
        show("xlsx, limit raised", measure("import", big_xlsx, raised), xlsx_floor)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
