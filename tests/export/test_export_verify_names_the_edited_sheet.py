"""`verify` passes on a fresh export and names the sheet whose cell was edited."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from export_world import at, build_world, clock, export
from openpyxl import load_workbook

from readiness.audit import records
from readiness.db import Database
from readiness.errors import UserError
from readiness.export import check_workbook, verify_workbook
from readiness.models import Drill, Site


@pytest.fixture
def exported(db: Database, tmp_path: Path) -> Path:
    build_world(db, ["=1+1", "Team was quick"])
    path = tmp_path / "week.xlsx"
    export(db, path)
    return path


def _edit(path: Path, sheet: str, cell: str, value: object) -> Path:
    book = load_workbook(path)
    book[sheet][cell] = value
    edited = path.with_name("edited.xlsx")
    book.save(edited)
    return edited


def test_a_fresh_export_is_genuine(
    db: Database, exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify_workbook(db, exported) == 0
    out = capsys.readouterr().out
    assert out.startswith("genuine: week.xlsx matches the database in all 14 sheets")


def test_an_edited_cell_names_its_sheet(db: Database, exported: Path) -> None:
    edited = _edit(exported, "Drills", "E2", "fire")
    report = check_workbook(db, edited)
    assert list(report.differences) == ["Drills"]
    with pytest.raises(UserError, match=r"not genuine: edited\.xlsx: differs in Drills$"):
        verify_workbook(db, edited)


def test_a_formula_put_in_is_refused(db: Database, exported: Path) -> None:
    edited = _edit(exported, "Incidents", "J2", "=1+1")
    report = check_workbook(db, edited)
    assert list(report.differences) == ["Incidents"]
    assert any("formulas" in why for why in report.differences["Incidents"])


def test_an_edited_manifest_parameter_is_caught(db: Database, exported: Path) -> None:
    book = load_workbook(exported)
    manifest = book["Manifest"]
    row = next(r for r in manifest.iter_rows() if r[0].value == "Period to")
    row[1].value = date(2026, 3, 13)
    edited = exported.with_name("edited.xlsx")
    book.save(edited)
    report = check_workbook(db, edited)
    # The cover states the period, so the period read back regenerates another cover.
    assert "Cover" in report.differences


def test_an_edited_cover_line_is_caught(db: Database, exported: Path) -> None:
    book = load_workbook(exported)
    cover = book["Cover"]
    row = next(r for r in cover.iter_rows() if r[0].value == "Practice")
    row[1].value = "Another practice"
    edited = exported.with_name("edited.xlsx")
    book.save(edited)
    assert list(check_workbook(db, edited).differences) == ["Cover"]


def test_a_workbook_without_its_manifest_is_not_an_export(db: Database, exported: Path) -> None:
    book = load_workbook(exported)
    del book["Manifest"]
    edited = exported.with_name("edited.xlsx")
    book.save(edited)
    with pytest.raises(UserError, match="not a Readiness export: the workbook has no Manifest"):
        verify_workbook(db, edited)


def test_a_removed_sheet_is_named(db: Database, exported: Path) -> None:
    book = load_workbook(exported)
    del book["Stock and expiry"]
    edited = exported.with_name("edited.xlsx")
    book.save(edited)
    assert list(check_workbook(db, edited).differences) == ["Stock and expiry"]


def test_records_written_after_the_export_do_not_spoil_it(db: Database, exported: Path) -> None:
    # The clinic carries on: a drill in the exported week is voided, another recorded.
    with clock(at(date(2026, 3, 17), 9)), db.write() as session:
        drill = session.query(Drill).order_by(Drill.id).first()
        assert drill is not None
        records.void(session, drill, actor="test", reason="entered twice")
        site = session.query(Site).filter_by(code="AUS1").one()
        late = Drill(
            site_id=site.id, scenario="fire", held_at=at(date(2026, 3, 12), 9), outcome="pass"
        )
        records.create(session, late, actor="test")
    report = check_workbook(db, exported)
    assert report.genuine, report.differences
    assert report.replayed


def test_an_export_of_another_database_is_not_genuine(
    db: Database, exported: Path, tmp_path: Path
) -> None:
    other = Database(f"sqlite:///{tmp_path}/other.db")
    from readiness.migrate import upgrade

    upgrade(other.engine)
    build_world(other, ["something else"])
    report = check_workbook(other, exported)
    other.dispose()
    assert not report.genuine


def test_a_file_that_is_not_a_workbook_is_a_user_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "note.xlsx"
    path.write_text("hello")
    with pytest.raises(UserError, match="not an Excel workbook"):
        verify_workbook(db, path)
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w") as package:
        package.writestr("hello.txt", "hi")
    with pytest.raises(UserError):
        verify_workbook(db, tmp_path / "empty.xlsx")
