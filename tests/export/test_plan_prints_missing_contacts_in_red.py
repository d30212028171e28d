"""A site with nothing on file gets red "No ... on file" lines on its plan, never blanks."""

from __future__ import annotations

from pathlib import Path

from checklist_world import readiness
from plan_world import build, pdf_text

from readiness.db import Database
from readiness.export.plan.facts import Assignee, site_facts
from readiness.export.plan.pdf import MISSING_RED, value_or_missing


def test_den1_without_contacts_shows_each_gap(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    out = tmp_path / "den.pdf"
    proc = readiness("--db", db.url, "plan", "--site", "DEN1", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    text = pdf_text(out)
    for gap in (
        "No poison control number on file",
        "No emergency number on file - in the US dial 911",
        "No emergency department phone on file",
        "No AED location on file",
        "No fire extinguisher location on file",
        "No one named",
    ):
        assert gap in text, gap
    # The hospital named on the site itself stands in for the missing ED name.
    assert "Denver Health" in text
    assert "No emergency department on file" not in text


def test_an_unknown_staff_id_in_a_role_is_a_red_gap(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    roles = tmp_path / "emergency_roles.csv"
    roles.write_text("site_code,scenario,duty,assignee\nDAL1,fire,lead,X-404\n", encoding="utf-8")
    assert readiness("--db", db.url, "import", "emergency_roles", str(roles)).returncode == 0
    with db.read() as session:
        facts = site_facts(session, "DAL1")
    assert facts.role("fire", "lead") == Assignee("No staff member X-404 on file", known=False)
    # Other scenarios keep the every-scenario lead.
    assert facts.role("anaphylaxis", "lead") == Assignee("the RN on duty")
    out = tmp_path / "dal.pdf"
    assert readiness("--db", db.url, "plan", "--site", "DAL1", "-o", str(out)).returncode == 0
    # The narrow table cell wraps the sentence; its words are all there.
    assert "X-404" in pdf_text(out)


def test_a_gap_is_marked_up_red_and_a_value_is_not() -> None:
    assert value_or_missing(None, "poison control number") == (
        f'<font color="{MISSING_RED}">No poison control number on file</font>'
    )
    assert value_or_missing("1-800-222-1222", "poison control number") == "1-800-222-1222"
