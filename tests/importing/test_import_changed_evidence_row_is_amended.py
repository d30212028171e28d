"""A changed evidence row supersedes the stored one: both stay visible, both audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.models import AuditEvent, Certification, Drill, Staff

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def test_a_changed_certificate_supersedes_the_stored_one(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = tmp_path / "certifications.csv"
    path.write_text(
        "staff_id,type,issued_on,expires_on,card_number\n"
        "S-101,acls,2024-05-02,2026-05-31,AHA-1002-R\n",
        encoding="utf-8",
    )
    report = import_file(db, "certifications", path, dry_run=False, actor="officer")
    assert report.counts["certifications"].amended == 1
    with db.read() as session:
        rows = session.scalars(
            select(Certification)
            .where(Certification.cert_type == "acls")
            .order_by(Certification.id)
        ).all()
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.actor == "officer").order_by(AuditEvent.seq)
        ).all()
        assert audit.verify(session).ok
    old, new = rows
    assert (old.record_state, old.card_number) == ("superseded", "AHA-1002")
    assert (new.record_state, new.card_number, new.supersedes_id) == (
        "current",
        "AHA-1002-R",
        old.id,
    )
    assert new.expires_on == date(2026, 5, 31)
    assert [(e.action, e.entity_id, e.reason) for e in events] == [
        ("supersede", str(old.id), f"import {path} row 2"),
        ("create", str(new.id), f"import {path} row 2"),
    ]


def test_the_amended_row_then_matches_on_reimport(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = tmp_path / "certifications.csv"
    path.write_text(
        "staff_id,type,issued_on,provider\nS-103,bls,2024-07-01,American Red Cross\n",
        encoding="utf-8",
    )
    assert (
        import_file(db, "certifications", path, dry_run=False, actor="t")
        .counts["certifications"]
        .amended
        == 1
    )
    again = import_file(db, "certifications", path, dry_run=False, actor="t")
    assert again.counts["certifications"].unchanged == 1


def test_a_changed_drill_keeps_its_participants(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = tmp_path / "drills.csv"
    path.write_text(
        "site_code,scenario,held_at,participants,outcome,debrief\n"
        "AUS1,anaphylaxis,2026-01-14T09:30,S-101;S-102;S-103,pass,Debrief rewritten\n"
        "AUS1,cardiac_arrest,2026-03-09T09:00,S-101;S-102,pass,First shock under 3 minutes\n",
        encoding="utf-8",
    )
    report = import_file(db, "drills", path, dry_run=False, actor="test")
    assert report.counts["drills"].amended == 2
    with db.read() as session:
        staff = {s.id: s.staff_id for s in session.scalars(select(Staff))}
        drills = session.scalars(select(Drill).order_by(Drill.id)).all()
        seen = [
            (d.scenario, d.record_state, sorted(staff[p.staff_pk] for p in d.participants))
            for d in drills
        ]
        assert audit.verify(session).ok
    assert [s for s in seen if s[0] in {"anaphylaxis", "cardiac_arrest"}] == [
        ("anaphylaxis", "superseded", ["S-101", "S-102", "S-103"]),
        ("cardiac_arrest", "superseded", ["S-101", "S-102", "S-104"]),
        ("anaphylaxis", "current", ["S-101", "S-102", "S-103"]),
        ("cardiac_arrest", "current", ["S-101", "S-102"]),
    ]
