"""A quote left open does not swallow the rows after it: the file is refused at that row."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Asset

SITES = "code,name,timezone\nAUS1,Austin,America/Chicago\n"
HEADER = "asset_id,site_code,kind,name\n"


def _assets(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Asset)) or 0


def _with_site(db: Database, tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(SITES, encoding="utf-8")
    assert import_file(db, "sites", sites, dry_run=False, actor="test").errors == []


def test_a_quote_open_to_the_end_is_refused_and_nothing_written(
    db: Database, tmp_path: Path
) -> None:
    _with_site(db, tmp_path)
    path = tmp_path / "assets.csv"
    path.write_text(
        HEADER
        + 'AED-1,AUS1,aed,"Lobby AED\nAED-2,AUS1,aed,Back room AED\nL-1,AUS1,laser,GentleMax\n',
        encoding="utf-8",
    )
    report = import_file(db, "assets", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:2: a quote opened on line 2 is never closed, so every row after it would"
        " become one cell; close the quote"
    ]
    assert not report.written
    assert _assets(db) == 0


def test_a_quote_closed_mid_cell_is_refused_at_its_row(db: Database, tmp_path: Path) -> None:
    _with_site(db, tmp_path)
    path = tmp_path / "assets.csv"
    path.write_text(
        HEADER + "AED-1,AUS1,aed,Lobby AED\n"
        'AED-2,AUS1,aed,"Back room" AED\n'
        "L-1,AUS1,laser,GentleMax\n",
        encoding="utf-8",
    )
    report = import_file(db, "assets", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:3: a quoted cell on line 3 has text after its closing quote;"
        ' write a quote inside a quoted cell as ""'
    ]
    assert _assets(db) == 0


def test_a_quote_that_runs_past_the_cell_limit_names_its_row(db: Database, tmp_path: Path) -> None:
    _with_site(db, tmp_path)
    path = tmp_path / "assets.csv"
    rows = "".join(f"A-{n},AUS1,aed,AED number {n}\n" for n in range(20_000))
    path.write_text(HEADER + "AED-0,AUS1,aed,Lobby\n" + 'X,AUS1,aed,"oops\n' + rows + '"\n')
    report = import_file(db, "assets", path, dry_run=False, actor="test")
    (error,) = report.errors
    assert error.startswith(f"{path}:3: a cell starting on line 3 is longer than ")
    assert _assets(db) == 0


def test_a_closed_multi_line_cell_is_still_one_row(db: Database, tmp_path: Path) -> None:
    _with_site(db, tmp_path)
    path = tmp_path / "assets.csv"
    path.write_text(HEADER + 'AED-1,AUS1,aed,"Lobby\nAED"\nAED-2,AUS1,aed,Back\n')
    report = import_file(db, "assets", path, dry_run=False, actor="test")
    assert report.errors == []
    assert _assets(db) == 2
