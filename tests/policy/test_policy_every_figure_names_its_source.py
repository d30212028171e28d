"""Every figure of the shipped policy names its source with a known label (REG, ACC, STD,
MFR, PRAC), read from the raw YAML so that a default filled in by the loader cannot hide a
missing one; every checklist template names its labels too. An unknown label stops the load."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from readiness.policy.pack import PolicyError, load_policy
from readiness.policy.requirements import SourceLabel
from readiness.policy.templates import load_templates

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
POLICY_FILE = CHECKLISTS / "requirements.yaml"
LABELS = set(get_args(SourceLabel))
RAW: dict[str, Any] = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))


def sources(entry: dict[str, Any]) -> list[dict[str, Any]]:
    found = entry.get("source")
    return [found] if isinstance(found, dict) else list(found or [])


def cited() -> list[tuple[str, dict[str, Any]]]:
    """(where, entry) for every part of the policy that carries a figure."""
    settings = RAW["settings"]
    return [
        *((f"requirements[{r['id']}]", r) for r in RAW["requirements"]),
        *((f"certificate_types[{k}]", v) for k, v in RAW["certificate_types"].items()),
        *(
            (f"settings.incident_reporting[{k}]", v)
            for k, v in settings["incident_reporting"].items()
        ),
    ]


@pytest.mark.parametrize(("where", "entry"), cited(), ids=[w for w, _ in cited()])
def test_each_figure_cites_a_source_with_a_known_label(where: str, entry: dict[str, Any]) -> None:
    found = sources(entry)
    assert found, f"{where} has no source"
    for source in found:
        assert source["label"] in LABELS, where
        assert str(source["text"]).strip(), where


def test_the_loaded_policy_keeps_them() -> None:
    policy = load_policy(POLICY_FILE)
    assert all(r.source for r in policy.requirements.values())
    assert {s.label for r in policy.requirements.values() for s in r.source} <= LABELS


def test_practice_choices_say_so() -> None:
    """Figures no rule sets are labelled PRAC and say the practice chose them."""
    policy = load_policy(POLICY_FILE)
    prac = {
        "oxygen.daily_pressure",
        "drill.fire",
        "doc.emergency_plan",
        "stock.epinephrine_adult",
    }
    for rid in prac:
        labels = {s.label for s in policy.requirement(rid).source}
        assert "PRAC" in labels, rid
    lso = policy.certificate_validity("lso").source
    assert [s.label for s in lso] == ["PRAC"] and "practice's choice" in lso[0].text
    texas = policy.settings.incident_reporting["TX"].source
    assert texas[0].label == "PRAC" and "hair removal" in texas[0].text


@pytest.mark.parametrize("template_id", sorted(load_templates(CHECKLISTS)))
def test_each_template_names_the_labels_of_its_sources(template_id: str) -> None:
    source = load_templates(CHECKLISTS)[template_id].source
    assert source is not None
    assert any(label in source for label in LABELS), template_id


def test_an_unknown_label_stops_the_load(tmp_path: Path) -> None:
    text = POLICY_FILE.read_text(encoding="utf-8").replace(
        '{label: MFR, text: "Makers state 1-3 services a year"}',
        '{label: BLOG, text: "Makers state 1-3 services a year"}',
    )
    assert "BLOG" in text
    broken = tmp_path / "requirements.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=r"requirements\[laser\.service\]\.source"):
        load_policy(broken)
