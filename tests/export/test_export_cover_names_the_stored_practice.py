"""An administrator names the practice once (command line or admin page); the inspector's
workbook cover prints that name unless `--practice` gives another, and each change is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from checklist_world import readiness
from export_world import build_world
from openpyxl import load_workbook
from sqlalchemy import select

from readiness.access import AccessDenied, Principal
from readiness.db import Database
from readiness.errors import UserError
from readiness.migrate import upgrade
from readiness.models import AuditEvent
from readiness.services.practice import practice_name, set_practice_name, set_practice_name_as

WEEK = ("--site", "AUS1,PHX1", "--from", "2026-03-09", "--to", "2026-03-14")


def cover_text(path: Path) -> str:
    rows = load_workbook(path, read_only=True)["Cover"].iter_rows(values_only=True)
    return "\n".join(" ".join(str(c) for c in row if c is not None) for row in rows)


def test_the_name_is_stored_once_and_each_change_is_audited(db: Database) -> None:
    with db.write() as session:
        assert practice_name(session) == ""
        assert set_practice_name(session, "  Hill Country   Vein Clinics ", actor="root")
        assert not set_practice_name(session, "Hill Country Vein Clinics", actor="root")
        assert set_practice_name(session, "Hill Country Vein & Laser", actor="root")
    with db.read() as session:
        assert practice_name(session) == "Hill Country Vein & Laser"
        kinds = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "practice_settings")
        ).all()
        assert list(kinds) == ["create", "update"]


def test_only_an_administrator_may_rename_and_an_empty_name_is_refused(db: Database) -> None:
    with db.write() as session, pytest.raises(AccessDenied):
        set_practice_name_as(session, Principal("olga", "officer"), "Elsewhere")
    with db.write() as session, pytest.raises(UserError, match="empty"):
        set_practice_name_as(session, Principal("root", "admin"), "   ")
    with db.read() as session:
        assert practice_name(session) == ""


def test_the_cover_prints_the_stored_name_unless_the_command_gives_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/r.db"
    database = Database(url)
    upgrade(database.engine)
    build_world(database)
    database.dispose()
    named = readiness("--db", url, "practice", "--name", "Hill Country Vein Clinics")
    assert named.returncode == 0, named.stderr
    assert readiness("--db", url, "practice").stdout.strip() == "Hill Country Vein Clinics"
    stored, given = tmp_path / "stored.xlsx", tmp_path / "given.xlsx"
    assert readiness("--db", url, "export", *WEEK, "-o", str(stored)).returncode == 0
    assert "Hill Country Vein Clinics" in cover_text(stored)
    proc = readiness("--db", url, "export", *WEEK, "--practice", "Audit copy", "-o", str(given))
    assert proc.returncode == 0, proc.stderr
    assert "Audit copy" in cover_text(given)
    assert "Hill Country Vein Clinics" not in cover_text(given)
