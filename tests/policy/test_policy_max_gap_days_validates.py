"""`max_gap_days` beside a checklist's calendar frequency: a positive whole number of days,
refused otherwise with the file, the requirement and the key; the default pack holds
extinguisher and AED monthly checks to 30 days and says where the figure comes from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.policy.pack import PolicyError, load_policy
from readiness.policy.requirements import ChecklistRequirement

REPO_POLICY = Path(__file__).resolve().parents[2] / "checklists" / "requirements.yaml"


def _with(tmp_path: Path, requirement_id: str, value: Any) -> Path:
    data = yaml.safe_load(REPO_POLICY.read_text(encoding="utf-8"))
    entry = next(e for e in data["requirements"] if e["id"] == requirement_id)
    entry["max_gap_days"] = value
    path = tmp_path / "requirements.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [0, -30, "thirty", 30.5, [30]])
def test_anything_but_a_positive_whole_number_is_refused(tmp_path: Path, value: Any) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(_with(tmp_path, "eyewear.inspection", value))
    assert "requirements[eyewear.inspection].max_gap_days" in str(caught.value)


def test_a_practice_may_set_one(tmp_path: Path) -> None:
    policy = load_policy(_with(tmp_path, "kit.monthly_inventory", 28))
    requirement = policy.requirements["kit.monthly_inventory"]
    assert isinstance(requirement, ChecklistRequirement) and requirement.max_gap_days == 28


def test_the_defaults_cite_their_sources() -> None:
    policy = load_policy(REPO_POLICY)
    gaps = {r.id: r.max_gap_days for r in policy.of_kind(ChecklistRequirement) if r.max_gap_days}
    assert gaps == {"extinguisher.monthly": 30, "aed.monthly_inspection": 30}
    extinguisher = " ".join(s.text for s in policy.requirements["extinguisher.monthly"].source)
    assert "NFPA 10 §7.2.1.2" in extinguisher and "30-day intervals" in extinguisher
    assert "1910.157(e)(2)" in extinguisher
    aed = " ".join(s.text for s in policy.requirements["aed.monthly_inspection"].source)
    assert "ZOLL" in aed and "at least monthly" in aed
