"""The shipped checklists/*.yaml load, cover the checklist requirements and say what they must."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readiness.policy.templates import (
    CHECKLIST_REQUIREMENTS,
    ENV_DIRECTORY,
    Template,
    default_directory,
    load_templates,
)

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"


@pytest.fixture(scope="module")
def templates() -> dict[str, Template]:
    """The default set, loaded once."""
    return load_templates(SHIPPED)


@pytest.mark.parametrize(
    ("template_id", "applies_to", "frequency", "due_by", "satisfies"),
    [
        (
            "opening-daily",
            "site",
            "daily",
            "10:00",
            {"aed.daily_check", "kit.seal_daily", "oxygen.daily_pressure"},
        ),
        ("laser-preuse-daily", "laser", "daily", "10:00", {"laser.daily_check"}),
        ("aed-monthly", "aed", "monthly", None, {"aed.monthly_inspection"}),
        ("kit-monthly", "emergency_kit", "monthly", None, {"kit.monthly_inventory"}),
        ("eyewear-monthly", "eyewear", "monthly", None, {"eyewear.inspection"}),
        ("extinguisher-monthly", "fire_extinguisher", "monthly", None, {"extinguisher.monthly"}),
        ("procedure-timeout", "laser", "per_use", None, set()),
        ("kit-restock", "emergency_kit", "per_use", None, set()),
    ],
)
def test_it_ships_each_template(
    templates: dict[str, Template],
    template_id: str,
    applies_to: str,
    frequency: str,
    due_by: str | None,
    satisfies: set[str],
) -> None:
    template = templates[template_id]
    assert template.applies_to == applies_to
    assert template.frequency == frequency
    assert template.snapshot().get("due_by") == due_by
    assert set(template.satisfies) == satisfies


def test_it_ships_exactly_the_eight_templates(templates: dict[str, Template]) -> None:
    assert len(templates) == 8


def test_it_covers_every_checklist_requirement(templates: dict[str, Template]) -> None:
    covered = {req for template in templates.values() for req in template.satisfies}
    assert covered == set(CHECKLIST_REQUIREMENTS)


@pytest.mark.parametrize(
    ("item_id", "expected"),
    [
        ("aed_ready", {"type": "pass_fail", "satisfies": ["aed.daily_check"]}),
        ("o2_psi", {"type": "number", "unit": "psi", "min": 1000}),
        ("kit_seal", {"type": "seal"}),
        ("epi_adult_count", {"type": "count", "min": 2}),
        ("epi_adult_expiry", {"type": "date", "expires": True}),
        ("storage_temp_c", {"type": "number", "unit": "°C", "min": 15, "max": 30}),
        ("emergency_numbers_posted", {"type": "pass_fail", "satisfies": []}),
    ],
)
def test_the_opening_check_asks_the_domain_items(
    templates: dict[str, Template], item_id: str, expected: dict[str, object]
) -> None:
    item = templates["opening-daily"].items_by_id[item_id].model_dump(mode="json")
    assert {key: item[key] for key in expected} == expected


def test_a_not_ready_aed_is_critical_and_taken_out_of_service(
    templates: dict[str, Template],
) -> None:
    on_fail = templates["opening-daily"].items_by_id["aed_ready"].failure
    assert on_fail.severity == "critical"
    assert on_fail.take_asset_out_of_service == "aed"
    assert "out of service" in on_fail.action


@pytest.mark.parametrize(
    ("template_id", "item_id", "requirements"),
    [
        ("opening-daily", "o2_psi", ("oxygen.daily_pressure",)),
        ("opening-daily", "aed_ready", ("aed.daily_check",)),
        ("opening-daily", "emergency_numbers_posted", ()),
        ("laser-preuse-daily", "self_test", ("laser.daily_check",)),
    ],
)
def test_an_item_failure_names_its_requirements(
    templates: dict[str, Template], template_id: str, item_id: str, requirements: tuple[str, ...]
) -> None:
    assert templates[template_id].requirements_failed_by(item_id) == requirements


@pytest.mark.parametrize(("severity", "days"), [("critical", 0), ("major", 3), ("minor", 14)])
def test_action_due_days_default_by_severity(
    templates: dict[str, Template], severity: str, days: int
) -> None:
    assert templates["opening-daily"].action_due_days.days(severity) == days  # type: ignore[arg-type]


def test_every_failable_item_has_an_action(templates: dict[str, Template]) -> None:
    for template in templates.values():
        for item in template.items:
            if item.can_fail:
                assert item.failure.action, (template.id, item.id)


def test_it_skips_the_policy_file_and_non_templates(tmp_path: Path) -> None:
    shutil.copy(SHIPPED / "opening-daily.yaml", tmp_path)
    (tmp_path / "requirements.yaml").write_text("requirements: {}\nitems: not a template\n")
    (tmp_path / "overrides.yaml").write_text("o2_min_psi: 500\n")
    assert list(load_templates(tmp_path)) == ["opening-daily"]


def test_it_reads_the_directory_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SHIPPED / "aed-monthly.yaml", tmp_path)
    monkeypatch.setenv(ENV_DIRECTORY, str(tmp_path))
    assert default_directory() == tmp_path
    assert list(load_templates()) == ["aed-monthly"]


def test_without_the_setting_it_reads_the_shipped_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DIRECTORY, raising=False)
    assert default_directory() == SHIPPED
