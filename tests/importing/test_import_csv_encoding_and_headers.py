"""CSV with a BOM, headers in any case with stray spaces, unknown columns skipped on request."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Site


def test_a_bom_and_shouting_headers_are_fine(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes(
        "\ufeff  CODE , Name,TimeZone ,Open_Days,Fax\r\n"
        "MTY1,Clínica Monterrey,America/Monterrey,Sat-Mon,none\r\n".encode()
    )
    report = import_file(db, "sites", path, dry_run=False, actor="test", ignore_columns=True)
    assert report.errors == []
    assert report.summary() == (
        f"{path}: 1 created, 0 amended, 0 unchanged (ignored unknown columns: fax)"
    )
    with db.read() as session:
        site = session.scalars(select(Site)).one()
    assert (site.code, site.name, site.open_days) == ("MTY1", "Clínica Monterrey", "mon,sat,sun")


def test_quoted_cells_keep_commas_and_line_breaks(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        'code,name,timezone,address\nDAL1,Dallas,America/Chicago,"1 Elm St,\nSuite 2"\n'
        "HOU1,Houston,America/Chicagoo,\n",
        encoding="utf-8",
    )
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    # The multi-line record is spreadsheet row 2, so the next one is row 3.
    assert report.errors == [
        f"{path}:3: timezone: unknown time zone 'America/Chicagoo'"
        " (an IANA name such as America/Chicago)"
    ]


def test_surrounding_spaces_and_empty_cells(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "code,name,timezone,phone,treats_children\n  DAL1 , Dallas ,America/Chicago,   ,\n",
        encoding="utf-8",
    )
    assert import_file(db, "sites", path, dry_run=False, actor="test").errors == []
    with db.read() as session:
        site = session.scalars(select(Site)).one()
    assert (site.code, site.name, site.phone, site.treats_children) == (
        "DAL1",
        "Dallas",
        None,
        False,
    )
