"""The protocols load with a version, cover every scenario and complication, and each section
names its source; a practice's overrides change the text and the version; a bad file is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from compliance_support import POLICY

from readiness.policy.pack import PolicyError
from readiness.policy.protocols import OVERRIDES_FILE, default_protocols_path, load_protocols

EMERGENCIES = {
    "anaphylaxis",
    "cardiac_arrest",
    "vasovagal_syncope",
    "laser_burn",
    "laser_eye_exposure",
    "fire",
}
COMPLICATIONS = {"hyperpigmentation", "infection", "blistering"}


def test_every_protocol_is_there_with_sources() -> None:
    protocols = load_protocols()
    assert set(protocols.of_kind("emergency")) == EMERGENCIES
    assert set(protocols.of_kind("complication")) == COMPLICATIONS
    assert len(protocols.version) == 64
    for name, protocol in protocols.protocols.items():
        for heading, section in protocol.sections().items():
            assert section.items and section.source, f"{name}: {heading}"
        assert all(dose.source for dose in protocol.doses), name
        # A protocol's readiness scenario is one the policy judges.
        assert protocol.scenario is None or protocol.scenario in POLICY.scenarios


def test_the_epinephrine_doses_follow_the_label() -> None:
    doses = {d.dose: d for d in load_protocols().protocols["anaphylaxis"].doses}
    assert set(doses) == {"0.3 mg", "0.15 mg"}
    assert "30 kg or more" in doses["0.3 mg"].who
    assert "15-30 kg" in doses["0.15 mg"].who
    for dose in doses.values():
        assert "5-15 minutes" in dose.repeat
        assert {s.label for s in dose.source} == {"MFR", "PRAC"}


def test_a_practice_override_replaces_a_section_and_the_version(tmp_path: Path) -> None:
    path = tmp_path / "protocols.yaml"
    shutil.copy(default_protocols_path(), path)
    before = load_protocols(path)
    (tmp_path / OVERRIDES_FILE).write_text(
        "protocols:\n  fire:\n    transfer:\n      items: [Call 911 for anyone hurt.]\n"
        "      source: {label: PRAC, text: our medical director}\n",
        encoding="utf-8",
    )
    after = load_protocols(path)
    assert after.protocols["fire"].transfer.items == ["Call 911 for anyone hurt."]
    assert after.protocols["fire"].steps == before.protocols["fire"].steps
    assert after.version != before.version


def test_a_section_without_a_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "protocols.yaml"
    path.write_text(
        default_protocols_path()
        .read_text(encoding="utf-8")
        .replace(
            "    transfer:\n      items:\n        - 911 for anyone burnt or who breathed smoke.\n"
            "      source:\n        label: PRAC\n        text: common clinical practice\n",
            "    transfer:\n      items:\n        - 911 for anyone burnt or who breathed smoke.\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as caught:
        load_protocols(path)
    assert str(caught.value) == f"{path}: protocols[fire].transfer.source: Field required"
