"""End to end through import files (tests/data/history_practice, `stock_locations.csv`):
lot EP-H1 was kept on the crash cart until it moved to treatment room 2 on 1 October
2025; each period's stock register shows where it was on the period's last day."""

from __future__ import annotations

from pathlib import Path

from checklist_world import readiness
from history_practice import import_practice
from openpyxl import load_workbook

from readiness.db import Database


def _locations(db: Database, tmp_path: Path, start: str, end: str) -> dict[object, object]:
    """Lot number -> Location in the stock register of an export of HIS1."""
    out = tmp_path / f"{start}.xlsx"
    period = ("--from", start, "--to", end)
    proc = readiness("--db", db.url, "export", "--site", "HIS1", *period, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = list(load_workbook(out, read_only=True)["Stock and expiry"].iter_rows(values_only=True))
    header = rows[0]
    return {
        row[header.index("Lot number")]: row[header.index("Location")] for row in rows[1:] if row
    }


def test_each_period_shows_where_the_lot_was_at_its_end(db: Database, tmp_path: Path) -> None:
    import_practice(db)
    assert _locations(db, tmp_path, "2025-09-01", "2025-09-30") == {"EP-H1": "Crash cart"}
    assert _locations(db, tmp_path, "2025-10-01", "2025-10-31") == {"EP-H1": "Treatment room 2"}
