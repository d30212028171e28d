"""XLSX files are read safely: zip bombs refused before parsing, XML entities refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from readiness.db import Database
from readiness.importing import workbook
from readiness.importing.run import import_file


def small_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "timezone"])
    sheet.append(["DAL1", "Dallas", "America/Chicago"])
    book.save(path)
    return path


def with_member(path: Path, name: str, data: bytes) -> Path:
    """Add one deflated member to an existing zip."""
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return path


def replace_member(path: Path, name: str, old: bytes, new: bytes) -> None:
    """Rewrite one member of a zip with `old` replaced by `new`."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    assert old in members[name]
    members[name] = members[name].replace(old, new)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if openpyxl is asked to parse anything."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_a_member_that_inflates_a_thousandfold_is_refused(
    db: Database, tmp_path: Path, no_parsing: None
) -> None:
    bomb = with_member(small_workbook(tmp_path / "sites.xlsx"), "xl/media/zeros.bin", bytes(10**7))
    report = import_file(db, "sites", bomb, dry_run=False, actor="test")
    (error,) = report.errors
    assert error.startswith(
        f"{bomb}: refused: declared uncompressed size of xl/media/zeros.bin"
        " (10,000,000 bytes) exceeds 100 times its compressed size ("
    )


def test_a_declared_total_over_100_mb_is_refused(
    db: Database, tmp_path: Path, no_parsing: None
) -> None:
    bomb = with_member(small_workbook(tmp_path / "sites.xlsx"), "xl/big.xml", bytes(101 * 2**20))
    report = import_file(db, "sites", bomb, dry_run=False, actor="test")
    (error,) = report.errors
    assert error.startswith(f"{bomb}: refused: declared uncompressed size 1")
    assert error.endswith("bytes exceeds the limit of 104,857,600 bytes")


def test_a_file_that_is_not_a_zip_is_one_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.xlsx"
    path.write_text("code,name,timezone\n", encoding="utf-8")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}: not an XLSX workbook (not a zip archive)"]


def test_a_zip_that_is_not_a_workbook_is_one_line(db: Database, tmp_path: Path) -> None:
    path = with_member(tmp_path / "sites.xlsx", "hello.txt", b"hello")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    (error,) = report.errors
    assert error.startswith(f"{path}: not a readable XLSX workbook (")
    assert "\n" not in error


def test_xml_entities_are_refused_not_expanded(db: Database, tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "sites.xlsx")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    replace_member(path, "xl/worksheets/sheet1.xml", b"<worksheet", laughs + b"<worksheet")
    replace_member(path, "xl/worksheets/sheet1.xml", b"<t>Dallas</t>", b"<t>&lol2;</t>")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    (error,) = report.errors
    assert error.startswith(f"{path}: not a readable XLSX workbook (")
    assert "lollol" not in error


def test_limits_are_what_the_documentation_says() -> None:
    assert workbook.MAX_UNCOMPRESSED_BYTES == 100 * 1024 * 1024
    assert workbook.MAX_COMPRESSION_RATIO == 100
