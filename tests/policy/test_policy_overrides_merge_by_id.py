"""A practice's overrides file changes figures of the default pack, merged by requirement id."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from readiness.policy.pack import Policy, load_policy
from readiness.policy.requirements import (
    ChecklistRequirement,
    DocumentRequirement,
    IntervalRequirement,
)

REPO_POLICY = Path(__file__).resolve().parents[2] / "checklists" / "requirements.yaml"

AS_MAPPING = """\
requirements:
  oxygen.daily_pressure:
    min_psi: 500
  laser.service:
    interval: {months: 6}
"""
AS_LIST = """\
requirements:
  - id: oxygen.daily_pressure
    min_psi: 500
  - id: laser.service
    interval: {months: 6}
"""


@pytest.fixture(autouse=True)
def _no_policy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READINESS_CHECKLISTS_DIR", raising=False)
    monkeypatch.delenv("READINESS_POLICY_OVERRIDES", raising=False)


def with_overrides(tmp_path: Path, text: str) -> Policy:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(text, encoding="utf-8")
    return load_policy(REPO_POLICY, overrides)


def o2_and_service(policy: Policy) -> tuple[int | None, int | None]:
    oxygen = policy.requirement("oxygen.daily_pressure")
    service = policy.requirement("laser.service")
    assert isinstance(oxygen, ChecklistRequirement)
    assert isinstance(service, IntervalRequirement)
    return oxygen.min_psi, service.interval.months


@pytest.mark.parametrize("text", [AS_MAPPING, AS_LIST], ids=["mapping", "list"])
def test_it_changes_o2_minimum_and_laser_service_interval(tmp_path: Path, text: str) -> None:
    assert o2_and_service(load_policy(REPO_POLICY)) == (1000, 12)
    assert o2_and_service(with_overrides(tmp_path, text)) == (500, 6)


def test_fields_not_overridden_are_kept(tmp_path: Path) -> None:
    base = load_policy(REPO_POLICY)
    merged = with_overrides(tmp_path, AS_MAPPING)
    service = merged.requirement("laser.service")
    assert isinstance(service, IntervalRequirement)
    assert service.warn_days == [30]
    assert service.event_kinds == ["service", "calibration"]
    assert service.asset_interval_field == "service_interval_months"
    untouched = set(base.requirements) - {"laser.service", "oxygen.daily_pressure"}
    assert all(merged.requirement(rid) == base.requirement(rid) for rid in untouched)


def test_an_interval_is_replaced_whole(tmp_path: Path) -> None:
    merged = with_overrides(tmp_path, "requirements:\n  drill.fire: {interval: {days: 60}}\n")
    interval = getattr(merged.requirement("drill.fire"), "interval")  # noqa: B009
    assert (interval.months, interval.days) == (None, 60)


def test_settings_merge_key_by_key(tmp_path: Path) -> None:
    merged = with_overrides(
        tmp_path,
        "settings:\n"
        "  retention_years: 10\n"
        "  incident_reporting:\n"
        "    CA:\n"
        "      deadline_days: 5\n"
        "      what: Adverse events\n"
        "      source: {label: REG, text: California}\n",
    )
    assert merged.settings.retention_years == 10
    assert merged.settings.overdue_reminder_every_days == 7
    assert set(merged.settings.incident_reporting) == {"FL", "NY", "TX", "CA"}


def test_a_practice_may_add_its_own_requirement(tmp_path: Path) -> None:
    merged = with_overrides(
        tmp_path,
        "requirements:\n"
        "  doc.radiation_registration:\n"
        "    title: Laser registration renewed\n"
        "    category: document\n"
        "    kind: document\n"
        "    subject: site\n"
        "    document_type: laser_registration\n"
        "    interval: {months: 24}\n"
        "    source: {label: REG, text: State registration}\n",
    )
    added = merged.requirement("doc.radiation_registration")
    assert isinstance(added, DocumentRequirement)
    assert added.interval.label == "24 months"


def test_a_scenario_list_is_replaced(tmp_path: Path) -> None:
    merged = with_overrides(
        tmp_path, "scenarios:\n  fire:\n    requires: [extinguisher.monthly, drill.fire]\n"
    )
    assert merged.scenario("fire").requires == ["extinguisher.monthly", "drill.fire"]
    assert merged.scenario("fire").title == "Fire"


def test_the_version_covers_the_overrides(tmp_path: Path) -> None:
    merged = with_overrides(tmp_path, AS_MAPPING)
    expected = hashlib.sha256(REPO_POLICY.read_bytes() + b"\0" + AS_MAPPING.encode()).hexdigest()
    assert merged.version == expected
    assert merged.version != load_policy(REPO_POLICY).version
    assert merged.files == (REPO_POLICY, tmp_path / "overrides.yaml")


def test_the_environment_names_the_overrides_of_the_default_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(AS_MAPPING, encoding="utf-8")
    monkeypatch.setenv("READINESS_POLICY_OVERRIDES", str(overrides))
    assert o2_and_service(load_policy()) == (500, 6)
    # An explicit policy path is taken as it is, without the environment's overrides.
    assert o2_and_service(load_policy(REPO_POLICY)) == (1000, 12)
