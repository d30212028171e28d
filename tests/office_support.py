"""LibreOffice and poppler for the export tests: convert a workbook to PDF, read its text.

Both are required under CI (`.ci/run` installs them); elsewhere a test skips with one
line saying which tool is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")


def need_office() -> str:
    """soffice's path; under CI its absence fails, elsewhere it skips."""
    if SOFFICE is None or PDFTOTEXT is None:
        missing = "LibreOffice (soffice)" if SOFFICE is None else "poppler (pdftotext)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} is required under CI (.ci/run installs it)")
        pytest.skip(f"{missing} is not installed")
    return SOFFICE


def convert(source: Path, target: str, folder: Path) -> Path:
    """`soffice --headless --convert-to TARGET` with a private profile; the file made."""
    soffice = need_office()
    profile = (folder / "lo-profile").as_uri()
    out = folder / "converted"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    made = out / f"{source.stem}.{target.split(':')[0]}"
    assert proc.returncode == 0 and made.exists(), proc.stderr or proc.stdout
    return made


def pdf_text(pdf: Path, *, first: int = 1, last: int | None = None) -> str:
    """The text of pages first..last, line by line as printed (poppler's -layout)."""
    args = [str(PDFTOTEXT), "-layout", "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    proc = subprocess.run(
        [*args, str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    return proc.stdout
