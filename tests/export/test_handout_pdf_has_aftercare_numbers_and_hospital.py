"""`readiness handout` prints the aftercare, warning signs, the clinic's numbers and the ED."""

from __future__ import annotations

from pathlib import Path

from checklist_world import readiness
from plan_world import CONTACTS, build, pdf_text

from readiness.db import Database
from readiness.policy.protocols import load_protocols


def test_the_laser_vein_handout(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    out = tmp_path / "handout.pdf"
    proc = readiness(
        "--db", db.url, "handout", "--site", "DAL1", "--procedure", "laser_vein", "-o", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    text = pdf_text(out)
    care = load_protocols().aftercare["laser_vein"]
    assert care.title in text
    assert "214-555-0101" in text  # the clinic's phone, from the sites file
    for field in ("after_hours_phone", "ed_name", "ed_address", "ed_phone"):
        assert CONTACTS[field] in text, field
    for item in [*care.call_the_clinic.items, *care.call_911.items]:
        assert " ".join(item.split()) in text, item
    assert "Call 911 or go to the emergency department now for" in text


def test_an_unknown_procedure_is_one_line(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    out = tmp_path / "x.pdf"
    proc = readiness(
        "--db", db.url, "handout", "--site", "DAL1", "--procedure", "microneedling", "-o", str(out)
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "readiness: error: no aftercare for procedure 'microneedling' (known: laser_vein,"
        " laser_hair_removal, tattoo_removal, skin_resurfacing, photofacial)"
    )
    assert not out.exists()
