"""Contacts changed by an import from a date: the plan as of the day before prints the old
number and as of that day the new one (read back with pdftotext), and staff who had
acknowledged the plan owe it again from the day of the change, not before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from checklist_world import readiness
from compliance_support import POLICY, TEMPLATES
from plan_world import CONTACTS, build, pdf_text

from readiness.access import Principal
from readiness.compliance import compliance_items
from readiness.compliance.plan_versions import plan_versions
from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Site
from readiness.services.plan_acknowledgements import acknowledge_plan

OLD, NEW = CONTACTS["ed_phone"], "214-820-9999"
CHANGED_ON = date(2026, 3, 2)
DAL1_STAFF = ("D-1", "D-2", "D-3", "D-4")


def plan_text(db: Database, tmp_path: Path, day: date) -> str:
    out = tmp_path / f"plan-{day}.pdf"
    proc = readiness(
        "--db", db.url, "plan", "--site", "DAL1", "-o", str(out), "--as-of", day.isoformat()
    )
    assert proc.returncode == 0, proc.stderr
    return pdf_text(out)


def acknowledged(db: Database, day: date) -> dict[str, str]:
    """Staff id -> plan.acknowledged status at DAL1 as of `day` (staff who left owe nothing)."""
    with db.read() as session:
        items = compliance_items(session, POLICY, as_of=day, sites=["DAL1"], templates=TEMPLATES)
    rows = items[items["requirement"] == "plan.acknowledged"]
    found = {str(r.subject): str(r.status) for r in rows.itertuples(index=False)}
    owing = {who: status for who, status in found.items() if status != "not_applicable"}
    assert len(owing) >= 3, found
    return owing


def acknowledge_everyone(db: Database, on: datetime) -> None:
    with db.write() as session:
        site = session.query(Site).filter_by(code="DAL1").one()
        version = plan_versions(session, [site.id])[site.id]
        for staff_id in DAL1_STAFF:
            acknowledge_plan(
                session,
                Principal(staff_id.lower(), "staff", ("DAL1",), staff_id),
                site_code="DAL1",
                staff_id=staff_id,
                plan_version=version,
                pin=None,
                now_utc=on,
            )


def test_the_plan_of_each_day_prints_the_number_then_in_force(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    acknowledge_everyone(db, datetime(2026, 2, 20, 15, 0, tzinfo=UTC))
    assert set(acknowledged(db, date(2026, 3, 1)).values()) == {"ok"}

    change = tmp_path / "new_phone.csv"
    change.write_text(
        f"site_code,ed_phone,effective_from,reason\nDAL1,{NEW},{CHANGED_ON},ED switchboard moved\n",
        encoding="utf-8",
    )
    report = import_file(db, "site_contacts", change, dry_run=False, actor="test")
    assert report.errors == [] and report.counts["site_contacts"].created == 1

    before = plan_text(db, tmp_path, date(2026, 3, 1))
    assert OLD in before and NEW not in before
    on_the_day = plan_text(db, tmp_path, CHANGED_ON)
    assert NEW in on_the_day and OLD not in on_the_day
    # What did not change is printed on both days.
    assert CONTACTS["ed_name"] in before and CONTACTS["ed_name"] in on_the_day

    # The acknowledgement held for the old plan; the new one is owed from its day.
    assert set(acknowledged(db, date(2026, 3, 1)).values()) == {"ok"}
    assert set(acknowledged(db, CHANGED_ON).values()) == {"missing"}
    acknowledge_everyone(db, datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    assert set(acknowledged(db, date(2026, 3, 3)).values()) == {"ok"}


def test_the_same_file_again_makes_no_new_version(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    change = tmp_path / "new_phone.csv"
    change.write_text(f"site_code,ed_phone\nDAL1,{NEW}\n", encoding="utf-8")
    first = import_file(db, "site_contacts", change, dry_run=False, actor="test")
    again = import_file(db, "site_contacts", change, dry_run=False, actor="test")
    assert first.counts["site_contacts"].created == 1
    assert (again.counts["site_contacts"].created, again.counts["site_contacts"].unchanged) == (
        0,
        1,
    )
