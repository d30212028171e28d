"""Regenerate README's pictures: the workbook cover and the wall plan, from a small demo.

    .venv/bin/python bench/pictures.py [--out docs/images]

Builds a 2-site demo practice in a temporary SQLite database, exports a month of it
with `readiness export`, prints the workbook to PDF with LibreOffice (headless, a
private profile) and renders the cover's first page with poppler's pdftoppm at 60 dpi;
then prints the first site's wall plan with `readiness plan` and renders its first page.
Needs soffice and pdftoppm on the PATH (.ci/run installs both).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRACTICE = "Clearwater Laser & Vein (demo)"
DPI = "60"


def readiness(url: str, *args: str) -> None:
    """Run the command line in a child process; stop on failure."""
    command = [sys.executable, "-c", "import sys; from readiness.cli import main; sys.exit(main())"]
    subprocess.run([*command, "--db", url, *args], check=True, cwd=ROOT)


def first_page_png(pdf: Path, target: Path) -> None:
    """Page 1 of the PDF as a PNG at DPI."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", DPI, "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )


def to_pdf(workbook: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice) is needed to print the workbook")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        check=True,
        capture_output=True,
    )
    return folder / f"{workbook.stem}.pdf"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="readiness-pictures-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder}/demo.db"
        readiness(url, "init")
        readiness(url, "demo", "--sites", "2", "--days", "60")
        end = date.today() - timedelta(days=1)
        start = end - timedelta(days=29)
        workbook = folder / "workbook.xlsx"
        period = ["--from", start.isoformat(), "--to", end.isoformat()]
        sites = "AUS1,PHX1"
        readiness(
            url,
            "export",
            "--site",
            sites,
            *period,
            "--practice",
            PRACTICE,
            "--quiet",
            "-o",
            str(workbook),
        )
        first_page_png(to_pdf(workbook, folder), args.out / "workbook-cover.png")
        plan = folder / "plan.pdf"
        readiness(url, "plan", "--site", sites.split(",")[0], "-o", str(plan))
        first_page_png(plan, args.out / "plan-page.png")
    for name in ("workbook-cover.png", "plan-page.png"):
        path = args.out / name
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
