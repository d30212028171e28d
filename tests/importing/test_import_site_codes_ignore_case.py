"""A sites file names a site by its code whatever the case, as every other site-code
lookup does: "aus1" changes site AUS1 (keeping its spelling) instead of opening a second
site, and "aus1" beside "AUS1" in one file is a duplicate row."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Site


def _sites_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "sites.csv"
    path.write_text("code,name,timezone\n" + "".join(f"{row}\n" for row in rows), "utf-8")
    return path


def _sites(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        return [(s.code, s.name) for s in session.scalars(select(Site).order_by(Site.code))]


def test_a_lower_case_code_changes_the_stored_site(db: Database, tmp_path: Path) -> None:
    first = _sites_file(tmp_path, "AUS1,Austin Downtown,America/Chicago")
    assert import_file(db, "sites", first, dry_run=False, actor="test").errors == []

    again = _sites_file(tmp_path, "aus1,Austin Domain,America/Chicago")
    report = import_file(db, "sites", again, dry_run=False, actor="test")

    assert report.errors == []
    assert (report.counts["sites"].created, report.counts["sites"].amended) == (0, 1)
    assert _sites(db) == [("AUS1", "Austin Domain")]


def test_the_same_code_in_two_cases_in_one_file_is_a_duplicate(
    db: Database, tmp_path: Path
) -> None:
    both = _sites_file(
        tmp_path, "AUS1,Austin Downtown,America/Chicago", "aus1,Austin Domain,America/Chicago"
    )
    report = import_file(db, "sites", both, dry_run=False, actor="test")

    assert len(report.errors) == 1
    assert report.errors[0] == f"{tmp_path / 'sites.csv'}:3: code: duplicate of row 2 (aus1)"
    assert _sites(db) == []
