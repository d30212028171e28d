"""Benchmark `readiness import` on hostile sizes against floors of merely reading the files.

    .venv/bin/python bench/import.py [--csv-mb 200] [--xml-mb 95] [--rows 95000]
                                     [--repeat 1] [--keep DIR]

Generates two service-event files of --rows rows (long free-text notes, made of words,
so that neither compresses to nothing and nothing in them looks like a patient
identifier): a CSV of --csv-mb MB, and an XLSX whose sheet XML is --xml-mb MB (inline
strings, so the sheet itself is that large). Then runs, each as a child process whose
peak memory (ru_maxrss, from wait4) and wall time are its own:

* `readiness import service_events FILE --dry-run` (check mode) and the same without
  --dry-run (write mode, on a fresh copy of a database holding the 200 assets the rows
  name), with READINESS_IMPORT_MAX_MB raised above the CSV's size;
* `readiness import` of the CSV with the default limit: refused before it is read;
* floors: the csv module iterating every record of the CSV, and openpyxl's read-only
  mode iterating every row's values of the XLSX (nothing kept, no database).

Each figure is printed beside its floor with the ratios. The machine is shared: the
import and its floor are run alternately --repeat times and the medians compared.
Goal: peak memory under 300 MB for every import, whatever the file's size.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["asset_id", "kind", "performed_on", "performed_by", "result", "certificate_number"]
HEADER += ["next_due_on", "notes"]
ASSETS = 200
GOAL_MB = 300
WORDS = [
    "laser",
    "output",
    "checked",
    "within",
    "tolerance",
    "handpiece",
    "window",
    "cleaned",
    "fibre",
    "inspected",
    "interlock",
    "tested",
    "aiming",
    "beam",
    "aligned",
    "filter",
    "replaced",
    "cooling",
    "flow",
    "normal",
    "footswitch",
    "cable",
    "sound",
    "eyewear",
    "labels",
    "legible",
    "pads",
    "in",
    "date",
    "battery",
    "indicator",
    "green",
    "cabinet",
    "sealed",
    "hoses",
    "intact",
    "regulator",
    "gauge",
    "reads",
    "full",
    "service",
    "sticker",
    "applied",
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-mb", type=float, default=200.0, help="size of the CSV (MB)")
    parser.add_argument("--xml-mb", type=float, default=95.0, help="sheet XML of the XLSX (MB)")
    parser.add_argument("--rows", type=int, default=95_000, help="data rows of each file")
    parser.add_argument("--repeat", type=int, default=1, help="alternating runs of each")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    return parser.parse_args(argv)


def _cells(n: int, note_chars: int, noise: random.Random) -> list[str]:
    """One valid service-event row whose notes are about `note_chars` long."""
    words: list[str] = []
    length = 0
    while length < note_chars:
        word = noise.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    day = f"{2001 + n // 4000}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    first = [f"A-{n % ASSETS:04d}", "service", day, "Field engineer", "pass", f"C{n}", ""]
    return [*first, " ".join(words)]


def write_csv(path: Path, megabytes: float, rows: int) -> None:
    """A service_events CSV of `rows` rows and about `megabytes` MB."""
    noise = random.Random(7)
    note = max(int(megabytes * 2**20 / rows) - 70, 10)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_cells(n, note, noise) for n in range(rows))


def _row_xml(number: int, cells: list[str]) -> str:
    out = [f'<row r="{number}">']
    for column, value in zip("ABCDEFGH", cells, strict=True):
        if value:
            out.append(f'<c r="{column}{number}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
    out.append("</row>")
    return "".join(out)


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="service_events" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>'
    ),
}


def write_xlsx(path: Path, megabytes: float, rows: int) -> int:
    """A service_events workbook whose sheet XML is about `megabytes` MB; returns its size."""
    noise = random.Random(7)
    note = max(int(megabytes * 2**20 / rows) - 420, 10)
    size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = (
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + _row_xml(1, HEADER)
            )
            parts = [head]
            for n in range(rows):
                parts.append(_row_xml(n + 2, _cells(n, note, noise)))
                if len(parts) >= 2000:
                    chunk = "".join(parts).encode()
                    sheet.write(chunk)
                    size += len(chunk)
                    parts = []
            chunk = ("".join(parts) + "</sheetData></worksheet>").encode()
            sheet.write(chunk)
            size += len(chunk)
    return size


@dataclass
class Run:
    """One child process: wall seconds, peak resident MB, exit code and its last line."""

    seconds: float
    peak_mb: float
    code: int
    said: str


def run(argv: list[str], env: dict[str, str], scratch: Path) -> Run:
    """Run a command as a child; its own peak memory comes from wait4's resource usage."""
    out = scratch / "child.out"
    with out.open("w") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    lines = out.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    said = lines[-1] if lines else ""
    return Run(seconds, usage.ru_maxrss / 1024, child.returncode, said[:110])


CSV_FLOOR = "import csv,sys\nwith open(sys.argv[1],newline='',encoding='utf-8') as f:\n"
CSV_FLOOR += "    print(sum(1 for _ in csv.reader(f)),'records read')"
XLSX_FLOOR = "import openpyxl,sys\nb=openpyxl.load_workbook(sys.argv[1],read_only=True)\n"
XLSX_FLOOR += "print(sum(1 for _ in b.worksheets[0].iter_rows(values_only=True)),'rows read')"


def _readiness(*args: str) -> list[str]:
    return [sys.executable, "-m", "readiness.cli", *args]


def prepare_db(scratch: Path, env: dict[str, str]) -> Path:
    """A database holding one site and the 200 assets the rows name."""
    base = scratch / "base.db"
    url = f"sqlite:///{base}"
    (scratch / "sites.csv").write_text("code,name,timezone\nS001,Site 1,America/Chicago\n")
    assets = "".join(f"A-{n:04d},S001,laser,Laser {n}\n" for n in range(ASSETS))
    (scratch / "assets.csv").write_text("asset_id,site_code,kind,name\n" + assets)
    for argv in (
        _readiness("--db", url, "init"),
        _readiness("--db", url, "import", "--dir", str(scratch)),
    ):
        subprocess.run(argv, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return base


def median(runs: list[Run]) -> Run:
    """The median time and memory of several runs (the last one's outcome)."""
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_mb for r in runs),
        runs[-1].code,
        runs[-1].said,
    )


def show(label: str, figure: Run, floor: Run) -> None:
    """One line: time and peak memory of the figure, its floor and the ratios."""
    goal = "" if figure.peak_mb < GOAL_MB else f"  OVER {GOAL_MB} MB"
    print(
        f"{label:<26} {figure.seconds:7.1f} s vs {floor.seconds:6.1f} s"
        f" ({figure.seconds / floor.seconds:5.2f}x)   peak {figure.peak_mb:5.0f} MB vs"
        f" {floor.peak_mb:4.0f} MB ({figure.peak_mb / floor.peak_mb:4.2f}x){goal}"
    )
    print(f"{'':<26} exit {figure.code}: {figure.said}")


def compare(
    label: str,
    make: list[str],
    floor: list[str],
    env: dict[str, str],
    args: argparse.Namespace,
    scratch: Path,
    fresh: Path | None = None,
) -> None:
    """Run the import and its floor alternately --repeat times; show the medians."""
    figures, floors = [], []
    for _ in range(args.repeat):
        if fresh is not None:
            shutil.copy(fresh, scratch / "run.db")
        figures.append(run(make, env, scratch))
        floors.append(run(floor, env, scratch))
    show(label, median(figures), median(floors))


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        scratch = Path(tmp)
        folder = args.keep or scratch / "files"
        folder.mkdir(parents=True, exist_ok=True)
        big_csv, big_xlsx = folder / "service_events.csv", folder / "service_events.xlsx"
        write_csv(big_csv, args.csv_mb, args.rows)
        xml = write_xlsx(big_xlsx, args.xml_mb, args.rows)
        print(
            f"files: CSV {big_csv.stat().st_size / 2**20:,.1f} MB; XLSX"
            f" {big_xlsx.stat().st_size / 2**20:,.1f} MB holding {xml / 2**20:,.1f} MB of"
            f" sheet XML; {args.rows:,} rows each; medians of {args.repeat}"
        )
        base = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
        # Above both files, so the timed runs import them; the last run shows the default refusing.
        largest = max(big_csv.stat().st_size, big_xlsx.stat().st_size) / 2**20
        raised = base | {"READINESS_IMPORT_MAX_MB": str(int(largest) + 10)}
        fresh = prepare_db(scratch, base)
        url = f"sqlite:///{scratch / 'run.db'}"
        shutil.copy(fresh, scratch / "run.db")
        one = scratch / "one.csv"
        one.write_text(",".join(HEADER) + "\n" + "A-0001,service,2020-01-01,Tech,pass,,,ok\n")
        alone = run(_readiness("--db", url, "import", "service_events", str(one)), base, scratch)
        print(
            f"baseline: the command importing a one-row file: {alone.seconds:.1f} s, peak"
            f" {alone.peak_mb:.0f} MB (the interpreter and the libraries it loads)"
        )
        shutil.copy(fresh, scratch / "run.db")
        csv_floor = [sys.executable, "-c", CSV_FLOOR, str(big_csv)]
        xlsx_floor = [sys.executable, "-c", XLSX_FLOOR, str(big_xlsx)]
        for label, path, floor in (("CSV", big_csv, csv_floor), ("XLSX", big_xlsx, xlsx_floor)):
            check = _readiness("--db", url, "import", "service_events", str(path), "--dry-run")
            write = _readiness("--db", url, "import", "service_events", str(path))
            compare(f"{label}, check (--dry-run)", check, floor, raised, args, scratch)
            compare(f"{label}, write", write, floor, raised, args, scratch, fresh)
        refuse = _readiness("--db", url, "import", "service_events", str(big_csv))
        compare("CSV, default 50 MB limit", refuse, csv_floor, base, args, scratch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
