"""`readiness plan` prints each number, the hospital, every protocol and the engine's readiness."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checklist_world import readiness
from compliance_support import POLICY, TEMPLATES
from plan_world import CONTACTS, build, pdf_text

from readiness.compliance import compliance_items, scenario_readiness
from readiness.db import Database
from readiness.export.plan.facts import Readiness, plain_blocking
from readiness.export.plan.wall import readiness_text
from readiness.policy.protocols import load_protocols

AS_OF = date(2026, 3, 9)


def test_the_wall_page_and_the_protocols_are_in_the_pdf(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    out = tmp_path / "plan.pdf"
    proc = readiness(
        "--db", db.url, "plan", "--site", "DAL1", "-o", str(out), "--as-of", AS_OF.isoformat()
    )
    assert proc.returncode == 0, proc.stderr
    text = pdf_text(out)
    for field in ("ed_name", "ed_address", "ed_phone", "medical_director_phone", "lso_phone"):
        assert CONTACTS[field] in text, field
    for place in ("aed_location", "kit_location", "oxygen_location", "extinguisher_location"):
        assert CONTACTS[place] in text, place
    # The import's defaults: the US emergency and poison help numbers.
    assert "Emergency 911" in text
    assert "Poison control 1-800-222-1222" in text
    assert "8 minutes by car" in text
    # Roles: by staff role, and by staff id with the person's name.
    assert "the RN on duty" in text and "Ben Cole (D-2)" in text
    protocols = load_protocols()
    assert protocols.version[:12] in text and f"As of {AS_OF.isoformat()}" in text
    for protocol in protocols.protocols.values():
        assert protocol.title in text, protocol.title
    # The dose table's cells wrap: look for each dose and its weight band on their own.
    for words in ("0.3 mg,", "0.15 mg,", "30 kg or more", "15-30", "5-15 minutes"):
        assert words in text, words
    for line in _engine_lines(db, "DAL1"):
        assert line in text


def _engine_lines(db: Database, code: str) -> list[str]:
    """The readiness lines the engine's own scenario table gives for the site, in titles."""
    with db.read() as session:
        items = compliance_items(session, POLICY, as_of=AS_OF, sites=[code], templates=TEMPLATES)
    table = scenario_readiness(items, POLICY)
    lines = [
        readiness_text(
            Readiness(s, POLICY.scenario(s).title, bool(ready), plain_blocking(blocking, POLICY))
        )
        for s, ready, blocking in zip(
            table["scenario"], table["ready"], table["blocking"], strict=True
        )
    ]
    assert len(lines) == len(POLICY.scenarios)
    return lines
