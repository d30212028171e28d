"""applies_if is a small vocabulary checked at load: a bad key or value stops the load with
an error naming the requirement and the key; the old one-word form still loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from readiness.policy.pack import PolicyError, load_policy
from readiness.policy.requirements import AppliesIf

REPO_POLICY = Path(__file__).resolve().parents[2] / "checklists" / "requirements.yaml"


@pytest.fixture(autouse=True)
def _no_policy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READINESS_CHECKLISTS_DIR", raising=False)
    monkeypatch.delenv("READINESS_POLICY_OVERRIDES", raising=False)


def with_applies_if(tmp_path: Path, text: str) -> Path:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(f"requirements:\n  laser.inventory:\n    applies_if: {text}\n", "utf-8")
    return overrides


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{county: [Travis]}", "applies_if.county: Extra inputs are not permitted"),
        ("{state: [Texas]}", "applies_if.state[0]: String should match pattern"),
        ("{state: []}", "applies_if.state: List should have at least 1 item"),
        ("{laser_kind: [co3]}", "applies_if.laser_kind[0]: Input should be"),
        ("{procedure: [botox]}", "applies_if.procedure[0]: Input should be"),
        ("{treats_children: maybe}", "applies_if.treats_children: Input should be a valid bool"),
        ("in_texas", "applies_if: unknown site condition 'in_texas'"),
    ],
)
def test_a_bad_applies_if_names_requirement_and_key(
    tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(REPO_POLICY, with_applies_if(tmp_path, text))
    message = str(caught.value)
    assert "overrides.yaml: requirements[laser.inventory]." + problem in message, message


def test_an_empty_condition_is_refused() -> None:
    # Through an overrides file {} merges into the base's mapping; alone it is an error.
    with pytest.raises(ValidationError, match="give at least one of state, treats_children"):
        AppliesIf.model_validate({})


def test_the_old_one_word_form_still_loads(tmp_path: Path) -> None:
    policy = load_policy(REPO_POLICY, with_applies_if(tmp_path, "treats_children"))
    condition = policy.requirement("laser.inventory").applies_if
    assert condition is not None
    assert condition.model_dump(exclude_none=True) == {"treats_children": True}


def test_every_listed_key_must_hold(tmp_path: Path) -> None:
    text = "{state: [TX, FL], laser_kind: [ipl, diode], procedure: [laser_hair_removal]}"
    condition = (
        load_policy(REPO_POLICY, with_applies_if(tmp_path, text))
        .requirement("laser.inventory")
        .applies_if
    )
    assert condition is not None
    assert condition.words == (
        "sites in TX or FL, with a laser of kind ipl or diode, performing laser_hair_removal"
    )
