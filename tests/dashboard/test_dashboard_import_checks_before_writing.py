"""On the Import page a file is checked (dry run) and only a file that passed is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from signin_helpers import signed_in_app
from sqlalchemy import func, select

from readiness.db import Database
from readiness.models import AuditEvent, Site

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good" / "sites.csv"


def _sites(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Site)) or 0


def test_a_bad_file_is_reported_and_a_good_one_imported(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in_app(sqlite_db, monkeypatch, "admin")
    at.switch_page("pages/imports.py").run()
    bad = GOOD.read_bytes().replace(b"America/Phoenix", b"Mars/Olympus")
    at.file_uploader(key="import_upload").upload("sites.csv", bad, "text/csv")
    at.run()
    assert at.selectbox(key="import_kind").value == "sites"
    at.button(key="import_check").click().run()
    assert not at.exception
    assert any("sites.csv:3: timezone" in c.value for c in at.caption), [
        c.value for c in at.caption
    ]
    assert "/tmp" not in " ".join(c.value for c in at.caption)
    assert at.error[0].value.startswith("1 error: fix the file")
    assert _sites(sqlite_db) == 0

    at.file_uploader(key="import_upload").upload("sites.csv", GOOD.read_bytes(), "text/csv")
    at.run()
    assert not [b for b in at.button if b.key == "import_write"]  # a new file is checked again
    at.button(key="import_check").click().run()
    assert "sites.csv: 2 created" in at.code[0].value
    assert _sites(sqlite_db) == 0  # the dry run wrote nothing
    at.button(key="import_write").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Imported: sites.csv: 2 created")
    assert _sites(sqlite_db) == 2
    with sqlite_db.read() as session:
        actors = set(session.scalars(select(AuditEvent.actor).where(AuditEvent.entity == "sites")))
    assert actors == {"user:admin"}
