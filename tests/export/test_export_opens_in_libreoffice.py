"""LibreOffice opens the workbook and, saving it again, keeps formula-like text as text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from export_world import build_world, export
from office_support import convert
from openpyxl import load_workbook

from readiness.db import Database


def test_libreoffice_reads_every_sheet_and_computes_nothing(
    sqlite_db: Database, tmp_path: Path
) -> None:
    build_world(sqlite_db, ["=1+1", '=HYPERLINK("http://x")', "@cmd", "-2"])
    path = tmp_path / "week.xlsx"
    export(sqlite_db, path)
    resaved = convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path)
    assert (
        load_workbook(resaved, read_only=True).sheetnames
        == load_workbook(path, read_only=True).sheetnames
    )
    debriefs = [
        row[12]
        for row in load_workbook(resaved, read_only=True)["Drills"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert sorted(debriefs) == sorted(["=1+1", '=HYPERLINK("http://x")', "@cmd", "-2"])
    with zipfile.ZipFile(resaved) as package:
        drills = package.read("xl/worksheets/sheet8.xml")
    assert not re.search(rb"<f[ >/]", drills)
