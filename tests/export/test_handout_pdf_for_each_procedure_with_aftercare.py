"""`readiness handout --procedure X` prints each laser procedure's own aftercare: its title,
every instruction and warning sign, and at its foot the version the time-out records,
which names the procedure. Read back with pdftotext."""

from __future__ import annotations

from pathlib import Path

import pytest
from checklist_world import readiness
from plan_world import CONTACTS, build, pdf_text

from readiness.db import Database
from readiness.policy.handouts import version_of
from readiness.policy.protocols import load_protocols
from readiness.rules.plan_version import handout_procedure

PROTOCOLS = load_protocols()
PROCEDURES = ("laser_hair_removal", "tattoo_removal", "skin_resurfacing", "photofacial")


def test_every_laser_procedure_has_aftercare_with_a_practice_source() -> None:
    assert set(PROCEDURES) | {"laser_vein"} == set(PROTOCOLS.aftercare)
    for procedure in PROCEDURES:
        care = PROTOCOLS.aftercare[procedure]
        for section in (care.instructions, care.call_the_clinic, care.call_911):
            sources = section.source if isinstance(section.source, list) else [section.source]
            # No law prescribes aftercare text: common practice, said so.
            assert {s.label for s in sources} == {"PRAC"}, procedure


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_the_handout_of(procedure: str, sqlite_db: Database, tmp_path: Path) -> None:
    build(sqlite_db, tmp_path)
    out = tmp_path / f"{procedure}.pdf"
    proc = readiness(
        "--db", sqlite_db.url, "handout", "--site", "DAL1", "--procedure", procedure, "-o", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    text = pdf_text(out)
    care = PROTOCOLS.aftercare[procedure]
    assert care.title in text
    for section in (care.instructions, care.call_the_clinic, care.call_911):
        for item in section.items:
            assert " ".join(item.split()) in text, item
    for field in ("after_hours_phone", "ed_name", "ed_phone"):
        assert CONTACTS[field] in text, field
    version = version_of(PROTOCOLS, procedure)
    assert handout_procedure(version) == procedure
    assert f"handout version {version}" in text
