"""A file over READINESS_IMPORT_MAX_MB is refused before it is read; a row past the limit too."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from readiness.config import import_max_mb, load_settings
from readiness.db import Database
from readiness.errors import ConfigError
from readiness.importing import sheet
from readiness.importing.run import import_file

MB = 1024 * 1024
ROW = "AUS1,Austin,America/Chicago\n"


def _csv_of(path: Path, size: int) -> Path:
    """A valid sites file of exactly `size` bytes: names padded with spaces (cells are stripped)."""
    lines = ["code,name,timezone\n"]
    total = len(lines[0])
    while total < size:
        bare = f"S{len(lines)},Site,America/Chicago\n"
        pad = min(100_000, size - total - len(bare))
        line = bare.replace("Site,", "Site" + " " * max(pad, 0) + ",")
        lines.append(line)
        total += len(line)
    path.write_text("".join(lines), encoding="utf-8")
    assert path.stat().st_size == size
    return path


def test_the_default_is_50_mb_and_bad_values_are_refused() -> None:
    assert import_max_mb({}) == 50
    assert load_settings({"READINESS_IMPORT_MAX_MB": "7"}).import_max_mb == 7
    for raw in ("0", "-1", "ten", "1.5"):
        with pytest.raises(ConfigError, match="READINESS_IMPORT_MAX_MB"):
            import_max_mb({"READINESS_IMPORT_MAX_MB": raw})


def test_a_csv_at_the_limit_is_read_one_byte_more_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_IMPORT_MAX_MB", "1")
    (tmp_path / "at").mkdir()
    at = _csv_of(tmp_path / "at" / "sites.csv", MB)
    assert import_file(db, "sites", at, dry_run=True, actor="test").errors == []
    over = _csv_of(tmp_path / "sites.csv", MB + 1)
    report = import_file(db, "sites", over, dry_run=False, actor="test")
    assert report.errors == [
        f"{over}: refused: the file is 1.0 MB, over the import limit of 1 MB"
        " (READINESS_IMPORT_MAX_MB); split it into smaller files"
    ]


def test_an_xlsx_over_the_limit_is_refused_before_it_is_opened(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_IMPORT_MAX_MB", "1")
    path = tmp_path / "sites.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["code", "name", "timezone", "address"])
    # Random text hardly compresses, so the saved file passes the limit.
    noise = random.Random(7)
    for n in range(2000):
        ws.append([f"S{n}", "Site", "America/Chicago", noise.randbytes(500).hex()])
    book.save(path)
    assert path.stat().st_size > MB
    (error,) = import_file(db, "sites", path, dry_run=False, actor="test").errors
    assert error.startswith(f"{path}: refused: the file is 1.")


def test_the_row_after_the_row_limit_stops_the_file(sqlite_db: Database, tmp_path: Path) -> None:
    # The file is refused before any database work, so one engine is enough.
    path = tmp_path / "sites.csv"
    rows = "".join(f"S{n},Site {n},America/Chicago\n" for n in range(sheet.MAX_ROWS + 1))
    path.write_text("code,name,timezone\n" + rows, encoding="utf-8")
    report = import_file(sqlite_db, "sites", path, dry_run=True, actor="test")
    last = sheet.MAX_ROWS + 2  # the header is row 1
    assert report.errors == [
        f"{path}:{last}: more than {sheet.MAX_ROWS:,} rows below the header; split the file"
    ]
