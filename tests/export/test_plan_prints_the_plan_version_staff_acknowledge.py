"""The wall plan prints the plan version staff acknowledge -- the one the Today page shows
when they sign -- so an inspector can match the acknowledgements to the paper; a changed
number gives a new version on both. Each protocol prints its own version, the one an
incident records as the protocol followed. Read back with pdftotext; SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from checklist_world import readiness
from plan_world import build, pdf_text
from sqlalchemy import select

from readiness.db import Database
from readiness.models import Site, SiteContacts
from readiness.policy.protocols import load_protocols
from readiness.views.plan_acknowledgements import plan_standing


def _printed(db: Database, out: Path) -> str:
    proc = readiness("--db", db.url, "plan", "--site", "DAL1", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return pdf_text(out)


def _shown_on_today(db: Database) -> str:
    with db.read() as session:
        return plan_standing(session, "DAL1").short_version


def test_the_plan_version_on_paper_is_the_one_staff_sign(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    first = _shown_on_today(db)
    text = _printed(db, tmp_path / "plan.pdf")
    assert f"Plan version {first} - staff acknowledge this version" in text

    with db.write() as session:
        dal1 = session.scalars(select(Site.id).where(Site.code == "DAL1")).one()
        contacts = session.scalars(select(SiteContacts).where(SiteContacts.site_id == dal1))
        for row in contacts:
            row.lso_phone = "214-555-0192"
    second = _shown_on_today(db)
    assert second != first
    again = _printed(db, tmp_path / "again.pdf")
    assert f"Plan version {second}" in again and first not in again


def test_each_protocol_prints_its_own_version(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    text = _printed(db, tmp_path / "plan.pdf")
    protocols = load_protocols()
    for name in protocols.protocols:
        assert f"Version {protocols.version_of(name)}" in text, name
