"""Printed by LibreOffice, the cover's first page shows the practice, the period, the status
legend and each site's readiness per scenario, and no cover text is cut off."""

from __future__ import annotations

import re
from pathlib import Path

from export_world import build_world, export
from office_support import convert, pdf_text
from openpyxl import load_workbook

from readiness.db import Database
from readiness.rules.status import Status

PRACTICE = "Glow Aesthetics of Central Texas"
SCENARIOS = ("Anaphylaxis", "Cardiac arrest", "Laser burn or laser fire", "Fire")


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (wrapped lines joined)."""
    return re.sub(r"\s+", " ", text).strip()


def cover_texts(path: Path) -> list[str]:
    sheet = load_workbook(path, read_only=True)["Cover"]
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def test_the_first_printed_page_is_the_plain_cover(sqlite_db: Database, tmp_path: Path) -> None:
    build_world(sqlite_db)
    path = tmp_path / "week.xlsx"
    export(sqlite_db, path, practice=PRACTICE)
    pdf = convert(path, "pdf", tmp_path)
    first = flat(pdf_text(pdf, first=1, last=1))
    assert PRACTICE in first
    assert "9 March 2026 to 14 March 2026" in first
    for status in Status:
        assert f"{status} " in first, status
    for site in ("AUS1", "PHX1"):
        assert site in first
    for scenario in SCENARIOS:
        assert re.search(rf"{re.escape(scenario)}: (READY|NOT READY)", first), scenario
    assert not re.search(r"\b[0-9a-f]{64}\b", first)  # hashes are on the Manifest sheet


def test_no_cover_text_is_cut_off(sqlite_db: Database, tmp_path: Path) -> None:
    build_world(sqlite_db)
    path = tmp_path / "week.xlsx"
    export(sqlite_db, path, practice=PRACTICE)
    pdf = convert(path, "pdf", tmp_path)
    pages = flat(pdf_text(pdf, first=1, last=3))
    texts = cover_texts(path)
    longest = max(texts, key=len)
    assert len(longest) > 150
    assert flat(longest) in pages
    for text in texts:
        assert flat(text) in pages, text
