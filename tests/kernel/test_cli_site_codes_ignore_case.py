"""Site codes as people type them: "aus1" is the site AUS1 for every --site option and in an
import file's site column; a code that matches no site is still named as typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import small_practice
from sqlalchemy import select

from readiness.cli import main
from readiness.db import Database
from readiness.models import Site, Staff

STAFF = """staff_id,site_code,full_name,role,email,active,is_lso
S-201,phx1,Dana Ortiz,rn,dortiz@example.com,yes,no
S-202,Aus1,Sam Reyes,aesthetician,sreyes@example.com,yes,no
"""


def test_site_options_ignore_case(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.write() as session:
        small_practice(session)
    assert main(["--db", db.url, "status", "--site", "aus1", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items and {item["site"] for item in items} == {"AUS1"}
    assert main(["--db", db.url, "scenarios", "--site", "Phx1"]) == 0
    assert "PHX1" in capsys.readouterr().out
    assert main(["--db", db.url, "checklist", "due", "--site", "aus1"]) == 0
    assert "opening-daily" in capsys.readouterr().out
    assert main(["--db", db.url, "status", "--site", "nowhere"]) == 2
    assert "'nowhere'" in capsys.readouterr().err


def test_an_import_files_site_column_ignores_case(db: Database, tmp_path: Path) -> None:
    with db.write() as session:
        small_practice(session)
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF)
    assert main(["--db", db.url, "import", "staff", str(staff)]) == 0
    with db.read() as session:
        added = dict(
            session.execute(
                select(Staff.staff_id, Site.code)
                .join(Site, Site.id == Staff.site_id)
                .where(Staff.staff_id.in_(["S-201", "S-202"]))
            ).all()
        )
    assert added == {"S-201": "PHX1", "S-202": "AUS1"}
