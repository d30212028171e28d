"""The presence and eyewear_match kinds are validated at load like the others: a bad
entry stops the load naming the file, the requirement id, the key and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.policy.pack import PolicyError, load_policy
from readiness.policy.requirements import EyewearMatchRequirement, PresenceRequirement

REPO_POLICY = Path(__file__).resolve().parents[2] / "checklists" / "requirements.yaml"
SHOWN = "checklists/requirements.yaml"


@pytest.fixture(autouse=True)
def _in_a_practice_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "checklists").mkdir()
    monkeypatch.delenv("READINESS_POLICY_OVERRIDES", raising=False)


def _problem_after(requirement_id: str, change: dict[str, Any], drop: str | None = None) -> str:
    data = yaml.safe_load(REPO_POLICY.read_text(encoding="utf-8"))
    found = next(e for e in data["requirements"] if e["id"] == requirement_id)
    found.update(change)
    if drop is not None:
        found.pop(drop)
    Path(SHOWN).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(Path(SHOWN))
    return str(caught.value)


def test_the_default_pack_ships_the_essentials() -> None:
    policy = load_policy(REPO_POLICY)
    present = {r.id: (r.asset_kinds, r.minimum) for r in policy.of_kind(PresenceRequirement)}
    assert present == {
        "aed.present": (["aed"], 1),
        "kit.present": (["emergency_kit"], 1),
        "oxygen.present": (["oxygen"], 1),
        "extinguisher.present": (["fire_extinguisher"], 1),
    }
    [matched] = policy.of_kind(EyewearMatchRequirement)
    assert (matched.id, matched.minimum, matched.subject) == ("eyewear.matched", 2, "asset")
    assert all(r.source for r in [*policy.of_kind(PresenceRequirement), matched])
    blocks = {name: set(s.requires) for name, s in policy.scenarios.items()}
    assert "aed.present" in blocks["cardiac_arrest"]
    assert {"kit.present", "oxygen.present"} <= blocks["anaphylaxis"] & blocks["cardiac_arrest"]
    assert "extinguisher.present" in blocks["fire"] & blocks["laser_burn"]
    assert "eyewear.matched" in blocks["laser_eye_exposure"] - blocks["laser_burn"]


@pytest.mark.parametrize(
    ("requirement_id", "change", "drop", "message"),
    [
        (
            "aed.present",
            {},
            "asset_kinds",
            f"{SHOWN}: requirements[aed.present].asset_kinds: Field required",
        ),
        (
            "aed.present",
            {"asset_kinds": ["defibrillator"]},
            None,
            f"{SHOWN}: requirements[aed.present].asset_kinds[0]: Input should be",
        ),
        (
            "kit.present",
            {"minimum": 0},
            None,
            f"{SHOWN}: requirements[kit.present].minimum: Input should be greater than 0",
        ),
        (
            "oxygen.present",
            {"subject": "asset"},
            None,
            f"{SHOWN}: requirements[oxygen.present].subject: Input should be 'site'",
        ),
        (
            "eyewear.matched",
            {"asset_kinds": ["aed"]},
            None,
            f"{SHOWN}: requirements[eyewear.matched].asset_kinds: eyewear is matched to lasers",
        ),
        (
            "eyewear.matched",
            {"minimum": "two"},
            None,
            f"{SHOWN}: requirements[eyewear.matched].minimum: Input should be a valid integer",
        ),
        (
            "eyewear.matched",
            {"pairs": 2},
            None,
            f"{SHOWN}: requirements[eyewear.matched].pairs: Extra inputs are not permitted",
        ),
    ],
)
def test_a_bad_entry_names_its_key(
    requirement_id: str, change: dict[str, Any], drop: str | None, message: str
) -> None:
    assert message in _problem_after(requirement_id, change, drop)


def test_other_site_kinds_still_refuse_asset_kinds() -> None:
    problem = _problem_after("drill.fire", {"asset_kinds": ["aed"]})
    assert f"{SHOWN}: requirements[drill.fire].asset_kinds: only for subject asset" in problem
