"""site_contacts and emergency_roles import with defaults and audit; a change is a new dated
version (the old one kept), and the same file again changes nothing."""

from __future__ import annotations

from pathlib import Path

from plan_world import build
from sqlalchemy import func, select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import AuditEvent, EmergencyRole, SiteContacts


def _events(db: Database, entity: str, action: str) -> int:
    with db.read() as session:
        query = select(func.count()).where(AuditEvent.entity == entity, AuditEvent.action == action)
        return int(session.scalar(query.select_from(AuditEvent)) or 0)


def test_contacts_and_roles_are_stored_with_defaults_and_audit(
    db: Database, tmp_path: Path
) -> None:
    build(db, tmp_path)
    with db.read() as session:
        contacts = session.scalars(select(SiteContacts)).one()
        roles = session.scalars(select(EmergencyRole).order_by(EmergencyRole.id)).all()
    assert (contacts.emergency_number, contacts.poison_control) == ("911", "1-800-222-1222")
    assert contacts.drive_minutes == 8
    assert [(r.scenario, r.duty, r.assignee) for r in roles][:2] == [
        ("all", "lead", "rn"),
        ("all", "call_911", "front_desk"),
    ]
    assert _events(db, "site_contacts", "create") == 1
    assert _events(db, "emergency_roles", "create") == 4


def test_a_changed_row_is_a_new_version_and_the_same_file_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    build(db, tmp_path)
    same = import_file(
        db, "site_contacts", tmp_path / "site_contacts.csv", dry_run=False, actor="t"
    )
    assert same.errors == [] and same.counts["site_contacts"].unchanged == 1
    changed = tmp_path / "contacts2.csv"
    changed.write_text(
        "site_code,ed_phone,effective_from,reason\nDAL1,214-820-9999,2026-02-01,new ED line\n",
        encoding="utf-8",
    )
    report = import_file(db, "site_contacts", changed, dry_run=False, actor="t")
    assert report.errors == [] and report.counts["site_contacts"].created == 1
    with db.read() as session:
        versions = session.scalars(select(SiteContacts).order_by(SiteContacts.id)).all()
    assert [(v.effective_from.isoformat(), v.ed_phone) for v in versions] == [
        ("2026-01-05", "214-820-0111"),
        ("2026-02-01", "214-820-9999"),
    ]
    newest = versions[-1]
    assert newest.ed_name == "Baylor University Medical Center ED"  # not in the file: kept
    assert newest.recorded_by == "t" and newest.reason is not None
    assert newest.reason.startswith("new ED line (import ")
    assert newest.reason.endswith("contacts2.csv row 2)")
    assert _events(db, "site_contacts", "create") == 2
    assert _events(db, "site_contacts", "update") == 0
    # The same values without a date: nothing new, whatever the day.
    again = tmp_path / "contacts3.csv"
    again.write_text("site_code,ed_phone\nDAL1,214-820-9999\n", encoding="utf-8")
    report = import_file(db, "site_contacts", again, dry_run=False, actor="t")
    assert report.errors == [] and report.counts["site_contacts"].unchanged == 1


def test_a_row_dated_before_the_latest_change_is_refused(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    old = tmp_path / "roles.csv"
    old.write_text(
        "site_code,duty,assignee,effective_from\nDAL1,lead,np,2025-12-01\n", encoding="utf-8"
    )
    report = import_file(db, "emergency_roles", old, dry_run=False, actor="t")
    assert len(report.errors) == 1 and "effective_from" in report.errors[0], report.errors
    assert "2026-01-05" in report.errors[0]


def test_an_unknown_duty_is_refused(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    bad = tmp_path / "roles.csv"
    bad.write_text("site_code,duty,assignee\nDAL1,sing,rn\n", encoding="utf-8")
    report = import_file(db, "emergency_roles", bad, dry_run=False, actor="t")
    assert len(report.errors) == 1 and "duty" in report.errors[0] and "sing" in report.errors[0]
