"""Each protocol has a version of its own: a digest of that protocol's text, named after it
("anaphylaxis:3f2a9c1b7d10"), so an incident records which protocol and which text was
followed. Editing one protocol changes its version only; the others, and the incidents
that name them, keep theirs. Every incident type's default protocol exists in the file."""

from __future__ import annotations

from pathlib import Path

from readiness.models import INCIDENT_TYPES
from readiness.policy.protocols import INCIDENT_PROTOCOLS, default_protocols_path, load_protocols
from readiness.rules.plan_version import handout_procedure

BURN_STEP = "Stop firing; put the laser in standby and remove the key."


def _edited_copy(folder: Path, old: str, new: str) -> Path:
    text = default_protocols_path().read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path = folder / "protocols.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_version_names_its_protocol_and_differs_between_protocols() -> None:
    protocols = load_protocols()
    versions = {name: protocols.version_of(name) for name in protocols.protocols}
    assert len(set(versions.values())) == len(versions)
    for name, version in versions.items():
        assert handout_procedure(version) == name
        assert len(version) == len(name) + 1 + 12


def test_editing_one_protocol_changes_only_its_version(tmp_path: Path) -> None:
    shipped = load_protocols()
    edited = load_protocols(
        _edited_copy(tmp_path, BURN_STEP, "Stop firing at once; standby, remove the key.")
    )
    assert edited.version != shipped.version  # the file's digest moves
    changed = [n for n in shipped.protocols if edited.version_of(n) != shipped.version_of(n)]
    assert changed == ["laser_burn"]  # the first match is in the laser burn steps


def test_every_type_default_is_a_shipped_protocol() -> None:
    protocols = load_protocols()
    assert set(INCIDENT_PROTOCOLS) <= set(INCIDENT_TYPES)
    assert {protocols.for_incident(t) for t in ("burn", "anaphylaxis", "syncope")} == {
        "laser_burn",
        "anaphylaxis",
        "vasovagal_syncope",
    }
    for kind in ("hypopigmentation", "device_malfunction", "transfer_to_hospital", "other"):
        assert protocols.for_incident(kind) is None, kind


def test_a_practice_file_without_the_protocol_gives_the_type_none(tmp_path: Path) -> None:
    renamed = load_protocols(_edited_copy(tmp_path, "\n  laser_burn:\n", "\n  our_burns:\n"))
    assert renamed.for_incident("burn") is None
    assert renamed.for_incident("anaphylaxis") == "anaphylaxis"
