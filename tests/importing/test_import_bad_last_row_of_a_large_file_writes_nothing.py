"""A bad row at the very end of a file of several batches leaves nothing written."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from test_import_bad_row_writes_nothing import row_counts

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.importing.spool import BATCH_ROWS

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
ASSETS = ["L-AUS1-1", "AED-AUS1", "O2-AUS1", "KIT-AUS1", "L-PHX1-1", "AED-PHX1", "FX-PHX1"]
HEADER = ["asset_id", "kind", "performed_on", "performed_by", "result", "notes"]
GOOD_ROWS = 3 * BATCH_ROWS


def rows(last: list[str]) -> list[list[str]]:
    """Valid service events, then `last`."""
    out = []
    for n in range(GOOD_ROWS):
        day = date(2010, 1, 1) + timedelta(days=n // len(ASSETS))
        out.append([ASSETS[n % len(ASSETS)], "inspection", day.isoformat(), "Tech", "pass", "ok"])
    return [*out, last]


def save(path: Path, table: list[list[str]]) -> Path:
    if path.suffix == ".csv":
        lines = [",".join(HEADER)] + [",".join(row) for row in table]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in table:
        sheet.append(row)
    book.save(path)
    return path


# A bad cell is found while the file is first read; an unknown id only once the earlier
# batches have been written in the transaction, which is then rolled back.
CASES = {
    "bad cell": (
        ["AED-AUS1", "inspection", "2030-02-30", "Tech", "pass", "ok"],
        "performed_on: not a date (YYYY-MM-DD): '2030-02-30'",
    ),
    "unknown id": (
        ["AED-ZZZ9", "inspection", "2030-01-01", "Tech", "pass", "ok"],
        "asset_id: unknown asset id 'AED-ZZZ9'",
    ),
}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_last_row_undoes_every_batch_before_it(
    db: Database, tmp_path: Path, suffix: str, case: str
) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    before = row_counts(db)
    with db.read() as session:
        head = audit.head(session)
    last, why = CASES[case]
    path = save(tmp_path / f"service_events{suffix}", rows(last))
    report = import_file(db, "service_events", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:{GOOD_ROWS + 2}: {why}"]
    assert report.summary() == f"{path}: not imported\n1 error: nothing written"
    assert row_counts(db) == before
    with db.read() as session:
        assert audit.head(session) == head
        assert audit.verify(session).ok
