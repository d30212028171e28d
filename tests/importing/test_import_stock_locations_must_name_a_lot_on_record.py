"""A `stock_locations` row names its lot by site, item and lot number; a lot the stock
file never created, or a move dated after today at the site, is reported with its row
and column, and nothing is written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from history_practice import import_practice
from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import StockLocationChange


def test_an_unknown_lot_or_a_future_day_is_a_row_error(db: Database, tmp_path: Path) -> None:
    import_practice(db)
    moves = tmp_path / "stock_locations.csv"
    moves.write_text(
        "site_code,item,lot_number,location,effective_from\n"
        "HIS1,epinephrine_adult,EP-H1,Lobby,2025-11-01\n"
        "HIS1,epinephrine_adult,EP-NONE,Lobby,2025-11-01\n"
        "HIS1,epinephrine_adult,EP-H1,Lobby,2999-01-01\n",
        encoding="utf-8",
    )
    report = import_file(db, "stock_locations", moves, dry_run=False, actor="importer")
    today = datetime.now(ZoneInfo("America/Chicago")).date()
    assert [str(problem) for problem in report.problems] == [
        f"{moves}:3: lot_number: no lot 'EP-NONE' of 'epinephrine_adult' at this site"
        " in the stock file",
        f"{moves}:4: effective_from: 2999-01-01 is after today ({today}): record a change"
        " on or after its day",
    ]
    with db.read() as session:
        # The good row was rolled back with the bad one: all or nothing.
        assert session.scalar(select(func.count()).select_from(StockLocationChange)) == 2
